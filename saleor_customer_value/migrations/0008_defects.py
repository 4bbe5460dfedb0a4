from django.db import migrations, models


class Migration(migrations.Migration):
    """Earning per full step (issue 17): existing programs keep counting in
    proportion, the behaviour they were set up with."""

    dependencies = [
        ("customer_value", "0007_rate_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="loyaltyprogram",
            name="earn_mode",
            field=models.CharField(
                choices=[
                    ("proportional", "In proportion (36.00 at 10 per 5.00 earn 72)"),
                    ("full_steps", "Per full step (36.00 at 10 per 5.00 earn 70)"),
                ],
                default="proportional",
                max_length=16,
            ),
        ),
    ]
