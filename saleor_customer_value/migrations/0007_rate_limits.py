from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("customer_value", "0006_gift_voucher_sale_reason"),
    ]

    operations = [
        migrations.CreateModel(
            name="RateLimitCounter",
            fields=[
                ("key", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("count", models.PositiveIntegerField(default=0)),
                ("window_ends", models.DateTimeField()),
                ("last_at", models.DateTimeField()),
            ],
        ),
        migrations.AddIndex(
            model_name="ratelimitcounter",
            index=models.Index(fields=["window_ends"], name="cv_ratelimit_window_idx"),
        ),
    ]
