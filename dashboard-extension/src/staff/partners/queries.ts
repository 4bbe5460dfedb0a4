import { graphql } from "../../shared/graphql/gql";

export const PartnerMerchants = graphql(`
  query PartnerMerchants {
    merchants { id name }
  }
`);

export const PartnerMerchant = graphql(`
  query PartnerMerchant($id: ID!) {
    merchant(id: $id) {
      id name status commissionPercent pointValue currency openBookings planEnabled
      clearingBalance { amount currency }
      tills { appId name }
      staff { email }
      rewards { id name points }
    }
    merchantBookings(merchantId: $id, first: 50) {
      transactionId kind receipt createdAt customerName
      gross { amount currency } commission { amount currency } net { amount currency } statementNumber
    }
    merchantCustomers(merchantId: $id) { customerId email name bookings points planPoints }
    merchantStatements(merchantId: $id) {
      id number currency periodEnd paidAt csvUrl pdfUrl
      net { amount currency } commission { amount currency }
    }
  }
`);

export const PartnerSettle = graphql(`
  mutation PartnerSettle($merchantId: ID!) {
    merchantSettle(merchantId: $merchantId) {
      statements { id number }
      customerValueErrors { field code message }
    }
  }
`);

export const PartnerPayout = graphql(`
  mutation PartnerPayout($statementId: ID!, $reference: String) {
    merchantStatementPayoutRecord(statementId: $statementId, reference: $reference) {
      statement { id paidAt }
      customerValueErrors { field code message }
    }
  }
`);

export const PartnerLookup = graphql(`
  query PartnerLookup($code: String, $email: String, $name: String) {
    posCustomerLookup(code: $code, email: $email, name: $name) {
      customers { customerId name email card { maskedCode } points { available } }
      customerValueErrors { field code message }
    }
  }
`);

export const PartnerSale = graphql(`
  mutation PartnerSale($input: PosAmountInput!) {
    posSaleRecord(input: $input) {
      pointsEarned
      customerValueErrors { field code message }
    }
  }
`);

export const PartnerPoints = graphql(`
  mutation PartnerPoints($customer: PosCustomerInput!, $points: Int!, $note: String!, $key: String!) {
    merchantPointsAdjust(customer: $customer, points: $points, note: $note, idempotencyKey: $key) {
      customer { points { available } }
      customerValueErrors { field code message }
    }
  }
`);
