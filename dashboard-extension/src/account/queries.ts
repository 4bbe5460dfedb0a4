import { graphql } from "../shared/graphql/gql";

// Every query here is a `my*` query: the API answers for the logged-in shopper only, so
// nothing in the URL can point the customer area at somebody else's data.

export const RequestPasswordReset = graphql(`
  mutation AccRequestPasswordReset($email: String!, $redirectUrl: String!) {
    requestPasswordReset(email: $email, redirectUrl: $redirectUrl) { accountErrors { field message code } }
  }
`);

export const SetPassword = graphql(`
  mutation AccSetPassword($email: String!, $token: String!, $password: String!) {
    setPassword(email: $email, token: $token, password: $password) { token accountErrors { field message code } }
  }
`);

export const MyWallets = graphql(`
  query AccMyWallets {
    myWallets {
      currency
      balance { posted { amount currency } held { amount currency } available { amount currency } }
      holds { amount { amount currency } expiresAt reason }
    }
    me { id email checkout { id token } }
  }
`);

export const MyWalletHistory = graphql(`
  query AccMyWalletHistory($currency: String, $first: Int, $after: String, $reasons: [LedgerReasonEnum!], $dateFrom: DateTime) {
    myWallet(currency: $currency) {
      currency
      movements(first: $first, after: $after, reasons: $reasons, dateFrom: $dateFrom) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id date amount { amount currency } balanceAfter { amount currency } reason customerNote order { number } } }
      }
    }
  }
`);

export const RedeemGiftCard = graphql(`
  mutation AccRedeemGiftCard($code: String!, $key: String) {
    walletRedeemGiftCard(code: $code, idempotencyKey: $key) {
      amount { amount currency }
      customerValueErrors { field message code }
    }
  }
`);

export const CheckoutCreate = graphql(`
  mutation AccCheckoutCreate($email: String) {
    checkoutCreate(input: { lines: [], email: $email }) { checkout { id token } checkoutErrors { field message code } }
  }
`);

export const TopUpAdd = graphql(`
  mutation AccTopUpAdd($checkoutId: ID!, $amount: Decimal!) {
    checkoutWalletTopUpAdd(checkoutId: $checkoutId, amount: $amount) {
      checkout { id token }
      amount { amount currency }
      customerValueErrors { field message code }
    }
  }
`);

export const MyPoints = graphql(`
  query AccMyPoints($after: String) {
    myPoints {
      introText
      balance { posted held available pending }
      expiringSoon { points expiresAt }
      lots(statuses: [PENDING]) { id points availableAt }
      movements(first: 10, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id date points balanceAfter reason customerNote order { number } } }
      }
    }
    loyaltyProgram { enabled convertPoints convertAmount { amount currency } convertMinPoints }
  }
`);

export const ConversionPreview = graphql(`
  query AccConversionPreview($points: Decimal!) {
    pointsConversionPreview(points: $points) {
      allowed points pointsLeft amount { amount currency } problem { field message code }
    }
  }
`);

export const ConvertPoints = graphql(`
  mutation AccConvertPoints($points: Decimal!, $key: String) {
    pointsConvertToWallet(points: $points, idempotencyKey: $key) {
      wallet { currency balance { available { amount currency } } }
      points { balance { available } }
      customerValueErrors { field message code }
    }
  }
`);

export const MyCard = graphql(`
  query AccMyCard {
    myDigitalCard { id code qrPayload maskedCode expiresAt state kind }
    myCards { id kind state maskedCode hasChip expiresAt registeredAt }
  }
`);

export const CardDownload = graphql(`
  mutation AccCardDownload($id: ID!, $format: CardFileFormatEnum!) {
    cardDownload(id: $id, format: $format) { file { url filename contentType } customerValueErrors { field message code } }
  }
`);

export const CardRegister = graphql(`
  mutation AccCardRegister($code: String!) {
    cardRegister(code: $code) { card { id maskedCode } customerValueErrors { field message code } }
  }
`);

export const CardLink = graphql(`
  mutation AccCardLink($code: String, $chipUid: String) {
    cardLink(code: $code, chipUid: $chipUid) { card { id maskedCode } customerValueErrors { field message code } }
  }
`);

export const MyRewards = graphql(`
  query AccMyRewards {
    myBadges {
      badges { status isHeld unlockedAt voucherCode badge { id localizedTitle localizedDescription isTier icon(size: 128) { url alt } } }
      tier { measuredValue pointsToNextTier current { badge { localizedTitle } } nextTier { id localizedTitle minPoints } }
    }
    rewards { id name description points kind reachable pointsMissing blockedBy amount { amount currency } image(size: 256) { url alt } }
    myPoints { balance { available } }
  }
`);

export const RedeemReward = graphql(`
  mutation AccRedeemReward($rewardId: ID!, $key: String) {
    rewardRedeem(rewardId: $rewardId, idempotencyKey: $key) {
      redemption { id points voucherCode walletCredit { amount currency } reward { name } }
      customerValueErrors { field message code }
    }
  }
`);

export const MyPartnerPlans = graphql(`
  query AccMyPartnerPlans {
    myPartnerPlans { merchantName description earningRule joinedAt points rewards { id name description points pointsMissing } }
  }
`);

export const MyCreditLineIds = graphql(`
  query AccMyCreditLineIds {
    myCreditLines { id }
  }
`);

export const MyCreditLines = graphql(`
  query AccMyCreditLines {
    myCreditLines {
      id currency status overdue dueDays cycleStart cycleEnd
      limit { amount currency } owed { amount currency } held { amount currency } available { amount currency }
      statements {
        id number periodStart periodEnd dueDate status overdue
        amountDue { amount currency } paidAmount { amount currency }
        csvUrl pdfUrl
      }
    }
  }
`);

export const MyNotificationPreferences = graphql(`
  query AccMyNotificationPreferences {
    myNotificationPreferences { language effectiveLanguage marketingOptOut transactionalOptOut }
  }
`);

export const UpdateNotificationPreferences = graphql(`
  mutation AccUpdateNotificationPreferences($language: String, $marketing: Boolean, $transactional: Boolean) {
    myNotificationPreferencesUpdate(language: $language, marketingOptOut: $marketing, transactionalOptOut: $transactional) {
      preferences { language effectiveLanguage marketingOptOut transactionalOptOut }
      customerValueErrors { field message code }
    }
  }
`);
