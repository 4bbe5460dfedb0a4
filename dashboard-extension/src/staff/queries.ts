import { graphql } from "../shared/graphql/gql";

export const CustomerSearch = graphql(`
  query CustomerSearch($query: String!) {
    customerValueSearch(query: $query) {
      id email firstName lastName matchedBy cardCount
      card { id maskedCode state kind }
    }
  }
`);

export const CustomerOverview = graphql(`
  query CustomerOverview($id: ID!, $wallets: Boolean!, $points: Boolean!, $cards: Boolean!) {
    customerValueCustomer(id: $id) { id email firstName lastName dateJoined cardCount }
    customerWallets(customerId: $id) @include(if: $wallets) {
      currency
      balance { posted { amount currency } held { amount currency } available { amount currency } }
    }
    customerPoints(customerId: $id) @include(if: $points) {
      balance { posted held available pending }
      expiringSoon { points expiresAt }
    }
    customerBadges(customerId: $id) @include(if: $points) {
      tier { current { badge { localizedTitle } } nextTier { localizedTitle } pointsToNextTier }
      badges { isHeld badge { id localizedTitle isTier } }
    }
    customerCards(customerId: $id) @include(if: $cards) {
      id maskedCode kind state expiresAt hasChip blockedReason createdAt
    }
  }
`);

export const CustomerHistory = graphql(`
  query CustomerHistory($filter: LedgerTransactionFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
    ledgerTransactions(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { ...TransactionRow } }
    }
  }
  fragment TransactionRow on LedgerTransaction {
    id createdAt reason note customerNote actorLabel actorType externalReference isClawback
    actorUser { email }
    actorApp { name }
    order { id number }
    reversalOf { id }
    reversedBy { id }
    entries { unit amount balanceAfter account { kind customerEmail systemCode } }
  }
`);

export const WalletPreview = graphql(`
  query WalletPreview($customerId: ID!, $amount: Decimal!, $currency: String) {
    walletBookingPreview(customerId: $customerId, amount: $amount, currency: $currency) {
      allowed
      balance { available { amount currency } posted { amount currency } }
      resultingBalance { available { amount currency } posted { amount currency } }
    }
  }
`);

export const WalletCredit = graphql(`
  mutation WalletCredit($input: WalletBookingInput!) {
    walletCredit(input: $input) {
      transaction { id }
      wallet { currency balance { available { amount currency } } }
      customerValueErrors { field message code }
    }
  }
`);

export const WalletDebit = graphql(`
  mutation WalletDebit($input: WalletBookingInput!) {
    walletDebit(input: $input) {
      transaction { id }
      wallet { currency balance { available { amount currency } } }
      customerValueErrors { field message code }
    }
  }
`);

export const PointsPreview = graphql(`
  query PointsPreview($customerId: ID!, $points: Int!) {
    loyaltyPointsPreview(customerId: $customerId, points: $points) {
      allowed
      balance { available posted pending }
      resultingBalance { available posted pending }
    }
  }
`);

export const PointsAdd = graphql(`
  mutation PointsAdd($input: LoyaltyPointsBookingInput!) {
    loyaltyPointsAdd(input: $input) {
      transaction { id }
      customerValueErrors { field message code }
    }
  }
`);

export const PointsSubtract = graphql(`
  mutation PointsSubtract($input: LoyaltyPointsBookingInput!) {
    loyaltyPointsSubtract(input: $input) {
      transaction { id }
      customerValueErrors { field message code }
    }
  }
`);

export const ReversalPreview = graphql(`
  query ReversalPreview($id: ID!) {
    ledgerReversalPreview(id: $id) {
      reversible needsClawback blockedBy message
      legs { accountKind unit customerEmail change balanceBefore balanceAfter clawback }
    }
  }
`);

export const Reverse = graphql(`
  mutation Reverse($id: ID!, $note: String!, $allowClawback: Boolean, $idempotencyKey: String) {
    ledgerTransactionReverse(id: $id, note: $note, allowClawback: $allowClawback, idempotencyKey: $idempotencyKey) {
      transaction { id }
      customerValueErrors { field message code }
    }
  }
`);

export const CardBatches = graphql(`
  query CardBatches {
    cardBatches { id name createdAt finishedAt kind status quantity progress expiresAt error }
  }
`);

export const CardBatchPoll = graphql(`
  query CardBatchPoll($id: ID!) {
    cardBatch(id: $id) { id name status quantity progress error finishedAt }
  }
`);

export const CardBatchPrintFilePoll = graphql(`
  query CardBatchPrintFilePoll($id: ID!) {
    cardBatch(id: $id) { id printFile { status processed total error } }
  }
`);

export const CardBatchCreate = graphql(`
  mutation CardBatchCreate($input: CardBatchCreateInput!) {
    cardBatchCreate(input: $input) {
      batch { id name status quantity progress }
      customerValueErrors { field message code }
    }
  }
`);

export const CardBatchExport = graphql(`
  mutation CardBatchExport($id: ID!, $format: CardExportFormatEnum!) {
    cardBatchExport(id: $id, format: $format) {
      file { url filename contentType }
      printFile { status processed total error }
      customerValueErrors { field message code }
    }
  }
`);

export const CardBlock = graphql(`
  mutation CardBlock($id: ID!, $reason: String!) {
    cardBlock(id: $id, reason: $reason) {
      card { id state }
      customerValueErrors { field message code }
    }
  }
`);

export const CardReplace = graphql(`
  mutation CardReplace($id: ID!, $chipUid: String) {
    cardReplace(id: $id, chipUid: $chipUid) {
      card { id maskedCode state }
      customerValueErrors { field message code }
    }
  }
`);

export const CardLink = graphql(`
  mutation CardLink($customerId: ID, $code: String, $chipUid: String) {
    cardLink(customerId: $customerId, code: $code, chipUid: $chipUid, direction: CARD_TO_WALLET) {
      card { id maskedCode state }
      customerValueErrors { field message code }
    }
  }
`);

export const LoyaltyProgram = graphql(`
  query LoyaltyProgram {
    loyaltyProgram {
      enabled earnPoints earnAmount { amount currency } earnBase earnRounding earnMoment pendingDays
      registrationPoints newsletterPoints reviewPoints reviewPolicy
      customActions { code points oncePerCustomer }
      earnRules { mode pointsPerUnit percent product { id name } category { id name } }
      redeemPoints redeemAmount { amount currency } redeemMinBalance redeemMinCart { amount currency }
      redeemMaxType redeemMaxValue redeemExcludeDiscounted
      redeemIncludeProducts { id name } redeemIncludeCategories { id name }
      redeemExcludeProducts { id name } redeemExcludeCategories { id name }
      convertPoints convertAmount { amount currency } convertMinPoints
      expiryDays expiringSoonDays introText updatedAt
    }
  }
`);

export const LoyaltyProgramUpdate = graphql(`
  mutation LoyaltyProgramUpdate($input: LoyaltyProgramInput!) {
    loyaltyProgramUpdate(input: $input) {
      loyaltyProgram { updatedAt }
      customerValueErrors { field message code }
    }
  }
`);

export const CatalogueSearch = graphql(`
  query CatalogueSearch($search: String!) {
    products(first: 8, filter: { search: $search }) { edges { node { id name } } }
    categories(first: 8, filter: { search: $search }) { edges { node { id name } } }
  }
`);

export const EarnRuleSet = graphql(`
  mutation EarnRuleSet($input: LoyaltyEarnRuleInput!) {
    loyaltyEarnRuleSet(input: $input) {
      earnRule { mode }
      customerValueErrors { field message code }
    }
  }
`);

export const EarnRuleDelete = graphql(`
  mutation EarnRuleDelete($productId: ID, $categoryId: ID) {
    loyaltyEarnRuleDelete(productId: $productId, categoryId: $categoryId) {
      deleted
      customerValueErrors { field message code }
    }
  }
`);

export const LedgerReport = graphql(`
  query LedgerReport($filter: LedgerTransactionFilterInput, $unit: String!, $dateFrom: Date, $dateTo: Date) {
    ledgerReport(filter: $filter) { count totals { reason unit count credit debit net } }
    ledgerSystemBalances { account { id kind systemCode unit } balance { posted } }
    ledgerSeries(unit: $unit, dateFrom: $dateFrom, dateTo: $dateTo) { date topups spend outstanding }
  }
`);

export const LedgerExport = graphql(`
  mutation LedgerExport($filter: LedgerTransactionFilterInput) {
    ledgerExport(filter: $filter) {
      file { url filename }
      customerValueErrors { field message code }
    }
  }
`);

export const RefundPreview = graphql(`
  query RefundPreview($orderNumber: String!, $amount: Decimal, $percent: Decimal) {
    orderRefundToWalletPreview(orderNumber: $orderNumber, amount: $amount, retentionBonusPercent: $percent) {
      orderId orderNumber customerEmail currency captured alreadyRefunded refundable
      amount bonus totalCredit walletBefore walletAfter allowed field message
    }
  }
`);

export const RefundToWallet = graphql(`
  mutation RefundToWallet($orderId: ID!, $amount: Decimal!, $percent: Decimal, $note: String!, $idempotencyKey: String) {
    orderRefundToWallet(orderId: $orderId, amount: $amount, retentionBonusPercent: $percent, note: $note, idempotencyKey: $idempotencyKey) {
      transaction { id }
      customerValueErrors { field message code }
    }
  }
`);
