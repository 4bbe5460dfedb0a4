"""The checkout's reservations and its owner's card discounts as SQL functions (issue 16).

The first total calculation of a request read both in one statement whose text Django
sent each time: PostgreSQL planned the five-branch discount query on every request
(~0.5-1 ms planning for ~0.1 ms execution). PL/pgSQL keeps the plans of a function's
statements for the life of the connection (Saleor's ``CONN_MAX_AGE`` keeps connections
open across requests), and ``plan_cache_mode = force_generic_plan`` makes it reuse them
from the first call instead of re-planning the first five calls per parameter set: every
lookup here is an index lookup whatever the parameters.

``cv_customer_discounts`` is now the one definition of the card discounts' rows
(``cardkinds.groups`` reads them through it); ``cv_checkout_state`` adds the checkout's
pending reservations, with their accounts and points reservation rows, as whole rows of
their tables so a column added later follows automatically.
"""
from django.db import migrations

FORWARD = r"""
CREATE FUNCTION cv_customer_discounts(
    p_user_id integer, p_customer_id integer, p_today date, p_now timestamptz, p_with_badges boolean
) RETURNS TABLE (k text, i integer, v numeric, n integer, t text, c text, a numeric, m integer, s text, r integer)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_customer integer := p_customer_id;
BEGIN
  IF v_customer IS NULL THEN
    SELECT cu.id INTO v_customer FROM customer_value_customer cu WHERE cu.user_id = p_user_id;
    IF v_customer IS NULL THEN
      RETURN;
    END IF;
  END IF;
  -- The customer's group in its validity window; each listed category expanded to its
  -- subcategories (MPTT tree_id/lft/rght); the listed products.
  RETURN QUERY
  WITH grp AS (
    SELECT g.id, g.name, g.kind, g.percent, g.allowance_amount, g.allowance_count,
           g.currency, mb.id AS member_id, mb.customer_id
      FROM customer_value_discountgroupmember mb
      JOIN customer_value_discountgroup g ON g.id = mb.group_id
     WHERE mb.customer_id = v_customer AND g.is_active
       AND (mb.valid_from IS NULL OR mb.valid_from <= p_today)
       AND (mb.valid_until IS NULL OR mb.valid_until >= p_today)
  )
  SELECT 'g'::text, grp.id, grp.percent, grp.member_id, grp.name::text, grp.kind::text,
         grp.allowance_amount, grp.allowance_count, grp.currency::text, grp.customer_id
    FROM grp
  UNION ALL
  SELECT 'c', sub.id, rc.percent, p.level, NULL, NULL, NULL, NULL, NULL, rc.category_id
    FROM grp
    JOIN customer_value_discountgroupcategory rc ON rc.group_id = grp.id
    JOIN product_category p ON p.id = rc.category_id
    JOIN product_category sub
      ON sub.tree_id = p.tree_id AND sub.lft >= p.lft AND sub.rght <= p.rght
  UNION ALL
  SELECT 'p', rp.product_id, rp.percent, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM grp
    JOIN customer_value_discountgroupproduct rp ON rp.group_id = grp.id;
  IF NOT p_with_badges THEN
    RETURN;
  END IF;
  -- Held badges with a checkout discount (active, or in their grace period) and the
  -- wallet-payment promotion when it is enabled.
  RETURN QUERY
  SELECT 'b'::text, b.id, b.discount_value, b.sort_order, b.title::text, b.discount_kind::text,
         NULL::numeric, b.min_points, b.discount_scope::text, NULL::integer
    FROM customer_value_customerbadge cb
    JOIN customer_value_badge b ON b.id = cb.badge_id
   WHERE cb.customer_id = v_customer AND b.is_active AND b.discount_value > 0
     AND b.discount_kind <> 'none'
     AND (cb.status = 'active' OR (cb.status = 'grace' AND cb.grace_until > p_now))
  UNION ALL
  SELECT 'w', w.id, w.percent, NULL, w.name::text, w.mode::text, w.max_discount, NULL,
         w.min_order::text, NULL
    FROM customer_value_walletpromotion w
   WHERE w.enabled;
END
$$;

CREATE FUNCTION cv_checkout_state(p_token uuid, p_user_id integer, p_now timestamptz, p_today date)
RETURNS TABLE (
    kind text,
    discounts text,
    hold customer_value_hold,
    account customer_value_account,
    reservation customer_value_checkoutpointsreservation,
    program customer_value_loyaltyprogram,
    program_lists text,
    product_type product_producttype
)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  v_discounts text;
  v_holds boolean;
BEGIN
  IF p_user_id IS NOT NULL THEN
    SELECT json_agg(json_build_array(d.k, d.i, d.v, d.n, d.t, d.c, d.a, d.m, d.s, d.r))::text
      INTO v_discounts
      FROM cv_customer_discounts(p_user_id, NULL, p_today, p_now, true) d;
  END IF;
  -- 'h': the pending reservations (the discounts ride on the first row; a row of its
  -- own when there is no reservation)
  RETURN QUERY
  SELECT 'h'::text, v_discounts, h, a, r, NULL::customer_value_loyaltyprogram, NULL::text,
         NULL::product_producttype
    FROM customer_value_hold h
    JOIN customer_value_account a ON a.id = h.account_id
    LEFT JOIN customer_value_checkoutpointsreservation r ON r.hold_id = h.id
   WHERE h.checkout_token = p_token AND h.status = 'pending' AND h.expires_at > p_now
   ORDER BY h.id;
  v_holds := FOUND;
  IF NOT v_holds AND v_discounts IS NOT NULL THEN
    RETURN QUERY
    SELECT 'h'::text, v_discounts, NULL::customer_value_hold, NULL::customer_value_account,
           NULL::customer_value_checkoutpointsreservation, NULL::customer_value_loyaltyprogram,
           NULL::text, NULL::product_producttype;
  END IF;
  -- 'p' and 't': when a discount can apply (a reservation, or card discounts), the
  -- loyalty program with its redemption lists and the product types of the checkout's
  -- lines: the eligible basket (points, group, badge, promotion) reads both.
  IF v_holds OR v_discounts IS NOT NULL THEN
    RETURN QUERY
    SELECT 'p'::text, NULL::text, NULL::customer_value_hold, NULL::customer_value_account,
           NULL::customer_value_checkoutpointsreservation, lp,
           json_build_object(
             'redeem_include_products', ARRAY(
               SELECT x.product_id FROM customer_value_loyaltyprogram_redeem_include_products x
                WHERE x.loyaltyprogram_id = lp.id),
             'redeem_include_categories', ARRAY(
               SELECT x.category_id FROM customer_value_loyaltyprogram_redeem_include_categories x
                WHERE x.loyaltyprogram_id = lp.id),
             'redeem_exclude_products', ARRAY(
               SELECT x.product_id FROM customer_value_loyaltyprogram_redeem_exclude_products x
                WHERE x.loyaltyprogram_id = lp.id),
             'redeem_exclude_categories', ARRAY(
               SELECT x.category_id FROM customer_value_loyaltyprogram_redeem_exclude_categories x
                WHERE x.loyaltyprogram_id = lp.id)
           )::text,
           NULL::product_producttype
      FROM customer_value_loyaltyprogram lp
     WHERE lp.id = 1;
    RETURN QUERY
    SELECT 't'::text, NULL::text, NULL::customer_value_hold, NULL::customer_value_account,
           NULL::customer_value_checkoutpointsreservation, NULL::customer_value_loyaltyprogram,
           NULL::text, pt
      FROM product_producttype pt
     WHERE pt.id IN (
       SELECT p.product_type_id
         FROM checkout_checkoutline l
         JOIN product_productvariant v ON v.id = l.variant_id
         JOIN product_product p ON p.id = v.product_id
        WHERE l.checkout_id = p_token
     );
  END IF;
END
$$;
"""

BACKWARD = r"""
DROP FUNCTION IF EXISTS cv_checkout_state(uuid, integer, timestamptz, date);
DROP FUNCTION IF EXISTS cv_customer_discounts(integer, integer, date, timestamptz, boolean);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("customer_value", "0018_system_code_choices"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
