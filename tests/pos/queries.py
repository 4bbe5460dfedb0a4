CUSTOMER = """
  customerId name email
  card { maskedCode state kind }
  cards { maskedCode }
  wallets { currency balance { posted { amount } held { amount } available { amount } } }
  points { available posted held pending }
"""
ERRORS = "customerValueErrors { field code message }"
RESULT = f"customer {{ {CUSTOMER} }} bookings {{ id reason amount unit }} replayed {ERRORS}"

LOOKUP = f"""
query Lookup($code: String, $qrPayload: String, $chipUid: String, $email: String, $name: String) {{
  posCustomerLookup(code: $code, qrPayload: $qrPayload, chipUid: $chipUid, email: $email, name: $name) {{
    customers {{ {CUSTOMER} }}
    {ERRORS}
  }}
}}
"""
SALE = f"""
mutation Sale($input: PosAmountInput!) {{
  posSaleRecord(input: $input) {{ pointsEarned {RESULT} }}
}}
"""
PAY = f"""
mutation Pay($input: PosAmountInput!) {{
  posWalletPay(input: $input) {{ paid {{ amount currency }} {RESULT} }}
}}
"""
TOPUP = f"""
mutation TopUp($input: PosAmountInput!) {{
  posWalletTopUp(input: $input) {{ toppedUp {{ amount }} bonus {{ amount }} {RESULT} }}
}}
"""
REDEEM = f"""
mutation Redeem($input: PosPointsRedeemInput!) {{
  posPointsRedeem(input: $input) {{ pointsRedeemed discount {{ amount currency }} {RESULT} }}
}}
"""
REVERSE = f"""
mutation Reverse($receipt: String!, $note: String, $key: String) {{
  posReverse(receipt: $receipt, note: $note, idempotencyKey: $key) {{ {RESULT} }}
}}
"""


def amount_input(customer, amount, receipt="R-1", key="k-1", note="till 1", currency="EUR"):
    data = {"customer": customer, "amount": amount, "currency": currency, "receipt": receipt}
    if note is not None:
        data["note"] = note
    if key is not None:
        data["idempotencyKey"] = key
    return {"input": data}


def wallet(customer_data, currency="EUR"):
    for item in customer_data["wallets"]:
        if item["currency"] == currency:
            return {k: v["amount"] for k, v in item["balance"].items()}
    return None
