/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation TokenCreate($email: String!, $password: String!) {\n    tokenCreate(email: $email, password: $password) {\n      token\n      accountErrors { field message code }\n    }\n  }\n": typeof types.TokenCreateDocument,
    "\n  mutation TokenRefresh($token: String!) {\n    tokenRefresh(token: $token) { token }\n  }\n": typeof types.TokenRefreshDocument,
    "\n  query Me {\n    me { id email firstName lastName isStaff userPermissions { code name } }\n  }\n": typeof types.MeDocument,
    "\n  query CustomerSearch($query: String!) {\n    customerValueSearch(query: $query) {\n      id email firstName lastName matchedBy cardCount\n      card { id maskedCode state kind }\n    }\n  }\n": typeof types.CustomerSearchDocument,
    "\n  query CustomerOverview($id: ID!, $wallets: Boolean!, $points: Boolean!, $cards: Boolean!) {\n    customerValueCustomer(id: $id) { id email firstName lastName dateJoined cardCount }\n    customerWallets(customerId: $id) @include(if: $wallets) {\n      currency\n      balance { posted { amount currency } held { amount currency } available { amount currency } }\n    }\n    customerPoints(customerId: $id) @include(if: $points) {\n      balance { posted held available pending }\n      expiringSoon { points expiresAt }\n    }\n    customerBadges(customerId: $id) @include(if: $points) {\n      tier { current { badge { localizedTitle } } nextTier { localizedTitle } pointsToNextTier }\n      badges { isHeld badge { id localizedTitle isTier } }\n    }\n    customerCards(customerId: $id) @include(if: $cards) {\n      id maskedCode kind state expiresAt hasChip blockedReason createdAt\n    }\n  }\n": typeof types.CustomerOverviewDocument,
    "\n  query CustomerHistory($filter: LedgerTransactionFilterInput, $first: Int, $after: String, $last: Int, $before: String) {\n    ledgerTransactions(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { node { ...TransactionRow } }\n    }\n  }\n  fragment TransactionRow on LedgerTransaction {\n    id createdAt reason note customerNote actorLabel actorType externalReference isClawback\n    actorUser { email }\n    actorApp { name }\n    order { id number }\n    reversalOf { id }\n    reversedBy { id }\n    entries { unit amount balanceAfter account { kind customerEmail systemCode } }\n  }\n": typeof types.CustomerHistoryDocument,
    "\n  query WalletPreview($customerId: ID!, $amount: Decimal!, $currency: String) {\n    walletBookingPreview(customerId: $customerId, amount: $amount, currency: $currency) {\n      allowed\n      balance { available { amount currency } posted { amount currency } }\n      resultingBalance { available { amount currency } posted { amount currency } }\n    }\n  }\n": typeof types.WalletPreviewDocument,
    "\n  mutation WalletCredit($input: WalletBookingInput!) {\n    walletCredit(input: $input) {\n      transaction { id }\n      wallet { currency balance { available { amount currency } } }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.WalletCreditDocument,
    "\n  mutation WalletDebit($input: WalletBookingInput!) {\n    walletDebit(input: $input) {\n      transaction { id }\n      wallet { currency balance { available { amount currency } } }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.WalletDebitDocument,
    "\n  query PointsPreview($customerId: ID!, $points: Int!) {\n    loyaltyPointsPreview(customerId: $customerId, points: $points) {\n      allowed\n      balance { available posted pending }\n      resultingBalance { available posted pending }\n    }\n  }\n": typeof types.PointsPreviewDocument,
    "\n  mutation PointsAdd($input: LoyaltyPointsBookingInput!) {\n    loyaltyPointsAdd(input: $input) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.PointsAddDocument,
    "\n  mutation PointsSubtract($input: LoyaltyPointsBookingInput!) {\n    loyaltyPointsSubtract(input: $input) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.PointsSubtractDocument,
    "\n  query ReversalPreview($id: ID!) {\n    ledgerReversalPreview(id: $id) {\n      reversible needsClawback blockedBy message\n      legs { accountKind unit customerEmail change balanceBefore balanceAfter clawback }\n    }\n  }\n": typeof types.ReversalPreviewDocument,
    "\n  mutation Reverse($id: ID!, $note: String!, $allowClawback: Boolean, $idempotencyKey: String) {\n    ledgerTransactionReverse(id: $id, note: $note, allowClawback: $allowClawback, idempotencyKey: $idempotencyKey) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.ReverseDocument,
    "\n  query CardBatches {\n    cardBatches { id name createdAt finishedAt kind status quantity progress expiresAt error }\n  }\n": typeof types.CardBatchesDocument,
    "\n  query CardBatchPoll($id: ID!) {\n    cardBatch(id: $id) { id name status quantity progress error finishedAt }\n  }\n": typeof types.CardBatchPollDocument,
    "\n  mutation CardBatchCreate($input: CardBatchCreateInput!) {\n    cardBatchCreate(input: $input) {\n      batch { id name status quantity progress }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.CardBatchCreateDocument,
    "\n  mutation CardBatchExport($id: ID!, $format: CardExportFormatEnum!) {\n    cardBatchExport(id: $id, format: $format) {\n      file { url filename contentType }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.CardBatchExportDocument,
    "\n  mutation CardBlock($id: ID!, $reason: String!) {\n    cardBlock(id: $id, reason: $reason) {\n      card { id state }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.CardBlockDocument,
    "\n  mutation CardReplace($id: ID!, $chipUid: String) {\n    cardReplace(id: $id, chipUid: $chipUid) {\n      card { id maskedCode state }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.CardReplaceDocument,
    "\n  mutation CardLink($customerId: ID, $code: String, $chipUid: String) {\n    cardLink(customerId: $customerId, code: $code, chipUid: $chipUid, direction: CARD_TO_WALLET) {\n      card { id maskedCode state }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.CardLinkDocument,
    "\n  query LoyaltyProgram {\n    loyaltyProgram {\n      enabled earnPoints earnAmount { amount currency } earnBase earnRounding earnMoment pendingDays\n      registrationPoints newsletterPoints reviewPoints reviewPolicy\n      customActions { code points oncePerCustomer }\n      earnRules { mode pointsPerUnit percent product { id name } category { id name } }\n      redeemPoints redeemAmount { amount currency } redeemMinBalance redeemMinCart { amount currency }\n      redeemMaxType redeemMaxValue redeemExcludeDiscounted\n      redeemIncludeProducts { id name } redeemIncludeCategories { id name }\n      redeemExcludeProducts { id name } redeemExcludeCategories { id name }\n      convertPoints convertAmount { amount currency } convertMinPoints\n      expiryDays expiringSoonDays introText updatedAt\n    }\n  }\n": typeof types.LoyaltyProgramDocument,
    "\n  mutation LoyaltyProgramUpdate($input: LoyaltyProgramInput!) {\n    loyaltyProgramUpdate(input: $input) {\n      loyaltyProgram { updatedAt }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.LoyaltyProgramUpdateDocument,
    "\n  query CatalogueSearch($search: String!) {\n    products(first: 8, filter: { search: $search }) { edges { node { id name } } }\n    categories(first: 8, filter: { search: $search }) { edges { node { id name } } }\n  }\n": typeof types.CatalogueSearchDocument,
    "\n  mutation EarnRuleSet($input: LoyaltyEarnRuleInput!) {\n    loyaltyEarnRuleSet(input: $input) {\n      earnRule { mode }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.EarnRuleSetDocument,
    "\n  mutation EarnRuleDelete($productId: ID, $categoryId: ID) {\n    loyaltyEarnRuleDelete(productId: $productId, categoryId: $categoryId) {\n      deleted\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.EarnRuleDeleteDocument,
    "\n  query LedgerReport($filter: LedgerTransactionFilterInput, $unit: String!, $dateFrom: Date, $dateTo: Date) {\n    ledgerReport(filter: $filter) { count totals { reason unit count credit debit net } }\n    ledgerSystemBalances { account { id kind systemCode unit } balance { posted } }\n    ledgerSeries(unit: $unit, dateFrom: $dateFrom, dateTo: $dateTo) { date topups spend outstanding }\n  }\n": typeof types.LedgerReportDocument,
    "\n  mutation LedgerExport($filter: LedgerTransactionFilterInput) {\n    ledgerExport(filter: $filter) {\n      file { url filename }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.LedgerExportDocument,
    "\n  query RefundPreview($orderNumber: String!, $amount: Decimal, $percent: Decimal) {\n    orderRefundToWalletPreview(orderNumber: $orderNumber, amount: $amount, retentionBonusPercent: $percent) {\n      orderId orderNumber customerEmail currency captured alreadyRefunded refundable\n      amount bonus totalCredit walletBefore walletAfter allowed field message\n    }\n  }\n": typeof types.RefundPreviewDocument,
    "\n  mutation RefundToWallet($orderId: ID!, $amount: Decimal!, $percent: Decimal, $note: String!, $idempotencyKey: String) {\n    orderRefundToWallet(orderId: $orderId, amount: $amount, retentionBonusPercent: $percent, note: $note, idempotencyKey: $idempotencyKey) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n": typeof types.RefundToWalletDocument,
};
const documents: Documents = {
    "\n  mutation TokenCreate($email: String!, $password: String!) {\n    tokenCreate(email: $email, password: $password) {\n      token\n      accountErrors { field message code }\n    }\n  }\n": types.TokenCreateDocument,
    "\n  mutation TokenRefresh($token: String!) {\n    tokenRefresh(token: $token) { token }\n  }\n": types.TokenRefreshDocument,
    "\n  query Me {\n    me { id email firstName lastName isStaff userPermissions { code name } }\n  }\n": types.MeDocument,
    "\n  query CustomerSearch($query: String!) {\n    customerValueSearch(query: $query) {\n      id email firstName lastName matchedBy cardCount\n      card { id maskedCode state kind }\n    }\n  }\n": types.CustomerSearchDocument,
    "\n  query CustomerOverview($id: ID!, $wallets: Boolean!, $points: Boolean!, $cards: Boolean!) {\n    customerValueCustomer(id: $id) { id email firstName lastName dateJoined cardCount }\n    customerWallets(customerId: $id) @include(if: $wallets) {\n      currency\n      balance { posted { amount currency } held { amount currency } available { amount currency } }\n    }\n    customerPoints(customerId: $id) @include(if: $points) {\n      balance { posted held available pending }\n      expiringSoon { points expiresAt }\n    }\n    customerBadges(customerId: $id) @include(if: $points) {\n      tier { current { badge { localizedTitle } } nextTier { localizedTitle } pointsToNextTier }\n      badges { isHeld badge { id localizedTitle isTier } }\n    }\n    customerCards(customerId: $id) @include(if: $cards) {\n      id maskedCode kind state expiresAt hasChip blockedReason createdAt\n    }\n  }\n": types.CustomerOverviewDocument,
    "\n  query CustomerHistory($filter: LedgerTransactionFilterInput, $first: Int, $after: String, $last: Int, $before: String) {\n    ledgerTransactions(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { node { ...TransactionRow } }\n    }\n  }\n  fragment TransactionRow on LedgerTransaction {\n    id createdAt reason note customerNote actorLabel actorType externalReference isClawback\n    actorUser { email }\n    actorApp { name }\n    order { id number }\n    reversalOf { id }\n    reversedBy { id }\n    entries { unit amount balanceAfter account { kind customerEmail systemCode } }\n  }\n": types.CustomerHistoryDocument,
    "\n  query WalletPreview($customerId: ID!, $amount: Decimal!, $currency: String) {\n    walletBookingPreview(customerId: $customerId, amount: $amount, currency: $currency) {\n      allowed\n      balance { available { amount currency } posted { amount currency } }\n      resultingBalance { available { amount currency } posted { amount currency } }\n    }\n  }\n": types.WalletPreviewDocument,
    "\n  mutation WalletCredit($input: WalletBookingInput!) {\n    walletCredit(input: $input) {\n      transaction { id }\n      wallet { currency balance { available { amount currency } } }\n      customerValueErrors { field message code }\n    }\n  }\n": types.WalletCreditDocument,
    "\n  mutation WalletDebit($input: WalletBookingInput!) {\n    walletDebit(input: $input) {\n      transaction { id }\n      wallet { currency balance { available { amount currency } } }\n      customerValueErrors { field message code }\n    }\n  }\n": types.WalletDebitDocument,
    "\n  query PointsPreview($customerId: ID!, $points: Int!) {\n    loyaltyPointsPreview(customerId: $customerId, points: $points) {\n      allowed\n      balance { available posted pending }\n      resultingBalance { available posted pending }\n    }\n  }\n": types.PointsPreviewDocument,
    "\n  mutation PointsAdd($input: LoyaltyPointsBookingInput!) {\n    loyaltyPointsAdd(input: $input) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n": types.PointsAddDocument,
    "\n  mutation PointsSubtract($input: LoyaltyPointsBookingInput!) {\n    loyaltyPointsSubtract(input: $input) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n": types.PointsSubtractDocument,
    "\n  query ReversalPreview($id: ID!) {\n    ledgerReversalPreview(id: $id) {\n      reversible needsClawback blockedBy message\n      legs { accountKind unit customerEmail change balanceBefore balanceAfter clawback }\n    }\n  }\n": types.ReversalPreviewDocument,
    "\n  mutation Reverse($id: ID!, $note: String!, $allowClawback: Boolean, $idempotencyKey: String) {\n    ledgerTransactionReverse(id: $id, note: $note, allowClawback: $allowClawback, idempotencyKey: $idempotencyKey) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n": types.ReverseDocument,
    "\n  query CardBatches {\n    cardBatches { id name createdAt finishedAt kind status quantity progress expiresAt error }\n  }\n": types.CardBatchesDocument,
    "\n  query CardBatchPoll($id: ID!) {\n    cardBatch(id: $id) { id name status quantity progress error finishedAt }\n  }\n": types.CardBatchPollDocument,
    "\n  mutation CardBatchCreate($input: CardBatchCreateInput!) {\n    cardBatchCreate(input: $input) {\n      batch { id name status quantity progress }\n      customerValueErrors { field message code }\n    }\n  }\n": types.CardBatchCreateDocument,
    "\n  mutation CardBatchExport($id: ID!, $format: CardExportFormatEnum!) {\n    cardBatchExport(id: $id, format: $format) {\n      file { url filename contentType }\n      customerValueErrors { field message code }\n    }\n  }\n": types.CardBatchExportDocument,
    "\n  mutation CardBlock($id: ID!, $reason: String!) {\n    cardBlock(id: $id, reason: $reason) {\n      card { id state }\n      customerValueErrors { field message code }\n    }\n  }\n": types.CardBlockDocument,
    "\n  mutation CardReplace($id: ID!, $chipUid: String) {\n    cardReplace(id: $id, chipUid: $chipUid) {\n      card { id maskedCode state }\n      customerValueErrors { field message code }\n    }\n  }\n": types.CardReplaceDocument,
    "\n  mutation CardLink($customerId: ID, $code: String, $chipUid: String) {\n    cardLink(customerId: $customerId, code: $code, chipUid: $chipUid, direction: CARD_TO_WALLET) {\n      card { id maskedCode state }\n      customerValueErrors { field message code }\n    }\n  }\n": types.CardLinkDocument,
    "\n  query LoyaltyProgram {\n    loyaltyProgram {\n      enabled earnPoints earnAmount { amount currency } earnBase earnRounding earnMoment pendingDays\n      registrationPoints newsletterPoints reviewPoints reviewPolicy\n      customActions { code points oncePerCustomer }\n      earnRules { mode pointsPerUnit percent product { id name } category { id name } }\n      redeemPoints redeemAmount { amount currency } redeemMinBalance redeemMinCart { amount currency }\n      redeemMaxType redeemMaxValue redeemExcludeDiscounted\n      redeemIncludeProducts { id name } redeemIncludeCategories { id name }\n      redeemExcludeProducts { id name } redeemExcludeCategories { id name }\n      convertPoints convertAmount { amount currency } convertMinPoints\n      expiryDays expiringSoonDays introText updatedAt\n    }\n  }\n": types.LoyaltyProgramDocument,
    "\n  mutation LoyaltyProgramUpdate($input: LoyaltyProgramInput!) {\n    loyaltyProgramUpdate(input: $input) {\n      loyaltyProgram { updatedAt }\n      customerValueErrors { field message code }\n    }\n  }\n": types.LoyaltyProgramUpdateDocument,
    "\n  query CatalogueSearch($search: String!) {\n    products(first: 8, filter: { search: $search }) { edges { node { id name } } }\n    categories(first: 8, filter: { search: $search }) { edges { node { id name } } }\n  }\n": types.CatalogueSearchDocument,
    "\n  mutation EarnRuleSet($input: LoyaltyEarnRuleInput!) {\n    loyaltyEarnRuleSet(input: $input) {\n      earnRule { mode }\n      customerValueErrors { field message code }\n    }\n  }\n": types.EarnRuleSetDocument,
    "\n  mutation EarnRuleDelete($productId: ID, $categoryId: ID) {\n    loyaltyEarnRuleDelete(productId: $productId, categoryId: $categoryId) {\n      deleted\n      customerValueErrors { field message code }\n    }\n  }\n": types.EarnRuleDeleteDocument,
    "\n  query LedgerReport($filter: LedgerTransactionFilterInput, $unit: String!, $dateFrom: Date, $dateTo: Date) {\n    ledgerReport(filter: $filter) { count totals { reason unit count credit debit net } }\n    ledgerSystemBalances { account { id kind systemCode unit } balance { posted } }\n    ledgerSeries(unit: $unit, dateFrom: $dateFrom, dateTo: $dateTo) { date topups spend outstanding }\n  }\n": types.LedgerReportDocument,
    "\n  mutation LedgerExport($filter: LedgerTransactionFilterInput) {\n    ledgerExport(filter: $filter) {\n      file { url filename }\n      customerValueErrors { field message code }\n    }\n  }\n": types.LedgerExportDocument,
    "\n  query RefundPreview($orderNumber: String!, $amount: Decimal, $percent: Decimal) {\n    orderRefundToWalletPreview(orderNumber: $orderNumber, amount: $amount, retentionBonusPercent: $percent) {\n      orderId orderNumber customerEmail currency captured alreadyRefunded refundable\n      amount bonus totalCredit walletBefore walletAfter allowed field message\n    }\n  }\n": types.RefundPreviewDocument,
    "\n  mutation RefundToWallet($orderId: ID!, $amount: Decimal!, $percent: Decimal, $note: String!, $idempotencyKey: String) {\n    orderRefundToWallet(orderId: $orderId, amount: $amount, retentionBonusPercent: $percent, note: $note, idempotencyKey: $idempotencyKey) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n": types.RefundToWalletDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TokenCreate($email: String!, $password: String!) {\n    tokenCreate(email: $email, password: $password) {\n      token\n      accountErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation TokenCreate($email: String!, $password: String!) {\n    tokenCreate(email: $email, password: $password) {\n      token\n      accountErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TokenRefresh($token: String!) {\n    tokenRefresh(token: $token) { token }\n  }\n"): (typeof documents)["\n  mutation TokenRefresh($token: String!) {\n    tokenRefresh(token: $token) { token }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { id email firstName lastName isStaff userPermissions { code name } }\n  }\n"): (typeof documents)["\n  query Me {\n    me { id email firstName lastName isStaff userPermissions { code name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerSearch($query: String!) {\n    customerValueSearch(query: $query) {\n      id email firstName lastName matchedBy cardCount\n      card { id maskedCode state kind }\n    }\n  }\n"): (typeof documents)["\n  query CustomerSearch($query: String!) {\n    customerValueSearch(query: $query) {\n      id email firstName lastName matchedBy cardCount\n      card { id maskedCode state kind }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerOverview($id: ID!, $wallets: Boolean!, $points: Boolean!, $cards: Boolean!) {\n    customerValueCustomer(id: $id) { id email firstName lastName dateJoined cardCount }\n    customerWallets(customerId: $id) @include(if: $wallets) {\n      currency\n      balance { posted { amount currency } held { amount currency } available { amount currency } }\n    }\n    customerPoints(customerId: $id) @include(if: $points) {\n      balance { posted held available pending }\n      expiringSoon { points expiresAt }\n    }\n    customerBadges(customerId: $id) @include(if: $points) {\n      tier { current { badge { localizedTitle } } nextTier { localizedTitle } pointsToNextTier }\n      badges { isHeld badge { id localizedTitle isTier } }\n    }\n    customerCards(customerId: $id) @include(if: $cards) {\n      id maskedCode kind state expiresAt hasChip blockedReason createdAt\n    }\n  }\n"): (typeof documents)["\n  query CustomerOverview($id: ID!, $wallets: Boolean!, $points: Boolean!, $cards: Boolean!) {\n    customerValueCustomer(id: $id) { id email firstName lastName dateJoined cardCount }\n    customerWallets(customerId: $id) @include(if: $wallets) {\n      currency\n      balance { posted { amount currency } held { amount currency } available { amount currency } }\n    }\n    customerPoints(customerId: $id) @include(if: $points) {\n      balance { posted held available pending }\n      expiringSoon { points expiresAt }\n    }\n    customerBadges(customerId: $id) @include(if: $points) {\n      tier { current { badge { localizedTitle } } nextTier { localizedTitle } pointsToNextTier }\n      badges { isHeld badge { id localizedTitle isTier } }\n    }\n    customerCards(customerId: $id) @include(if: $cards) {\n      id maskedCode kind state expiresAt hasChip blockedReason createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerHistory($filter: LedgerTransactionFilterInput, $first: Int, $after: String, $last: Int, $before: String) {\n    ledgerTransactions(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { node { ...TransactionRow } }\n    }\n  }\n  fragment TransactionRow on LedgerTransaction {\n    id createdAt reason note customerNote actorLabel actorType externalReference isClawback\n    actorUser { email }\n    actorApp { name }\n    order { id number }\n    reversalOf { id }\n    reversedBy { id }\n    entries { unit amount balanceAfter account { kind customerEmail systemCode } }\n  }\n"): (typeof documents)["\n  query CustomerHistory($filter: LedgerTransactionFilterInput, $first: Int, $after: String, $last: Int, $before: String) {\n    ledgerTransactions(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { node { ...TransactionRow } }\n    }\n  }\n  fragment TransactionRow on LedgerTransaction {\n    id createdAt reason note customerNote actorLabel actorType externalReference isClawback\n    actorUser { email }\n    actorApp { name }\n    order { id number }\n    reversalOf { id }\n    reversedBy { id }\n    entries { unit amount balanceAfter account { kind customerEmail systemCode } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WalletPreview($customerId: ID!, $amount: Decimal!, $currency: String) {\n    walletBookingPreview(customerId: $customerId, amount: $amount, currency: $currency) {\n      allowed\n      balance { available { amount currency } posted { amount currency } }\n      resultingBalance { available { amount currency } posted { amount currency } }\n    }\n  }\n"): (typeof documents)["\n  query WalletPreview($customerId: ID!, $amount: Decimal!, $currency: String) {\n    walletBookingPreview(customerId: $customerId, amount: $amount, currency: $currency) {\n      allowed\n      balance { available { amount currency } posted { amount currency } }\n      resultingBalance { available { amount currency } posted { amount currency } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WalletCredit($input: WalletBookingInput!) {\n    walletCredit(input: $input) {\n      transaction { id }\n      wallet { currency balance { available { amount currency } } }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation WalletCredit($input: WalletBookingInput!) {\n    walletCredit(input: $input) {\n      transaction { id }\n      wallet { currency balance { available { amount currency } } }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WalletDebit($input: WalletBookingInput!) {\n    walletDebit(input: $input) {\n      transaction { id }\n      wallet { currency balance { available { amount currency } } }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation WalletDebit($input: WalletBookingInput!) {\n    walletDebit(input: $input) {\n      transaction { id }\n      wallet { currency balance { available { amount currency } } }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PointsPreview($customerId: ID!, $points: Int!) {\n    loyaltyPointsPreview(customerId: $customerId, points: $points) {\n      allowed\n      balance { available posted pending }\n      resultingBalance { available posted pending }\n    }\n  }\n"): (typeof documents)["\n  query PointsPreview($customerId: ID!, $points: Int!) {\n    loyaltyPointsPreview(customerId: $customerId, points: $points) {\n      allowed\n      balance { available posted pending }\n      resultingBalance { available posted pending }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PointsAdd($input: LoyaltyPointsBookingInput!) {\n    loyaltyPointsAdd(input: $input) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation PointsAdd($input: LoyaltyPointsBookingInput!) {\n    loyaltyPointsAdd(input: $input) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PointsSubtract($input: LoyaltyPointsBookingInput!) {\n    loyaltyPointsSubtract(input: $input) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation PointsSubtract($input: LoyaltyPointsBookingInput!) {\n    loyaltyPointsSubtract(input: $input) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReversalPreview($id: ID!) {\n    ledgerReversalPreview(id: $id) {\n      reversible needsClawback blockedBy message\n      legs { accountKind unit customerEmail change balanceBefore balanceAfter clawback }\n    }\n  }\n"): (typeof documents)["\n  query ReversalPreview($id: ID!) {\n    ledgerReversalPreview(id: $id) {\n      reversible needsClawback blockedBy message\n      legs { accountKind unit customerEmail change balanceBefore balanceAfter clawback }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Reverse($id: ID!, $note: String!, $allowClawback: Boolean, $idempotencyKey: String) {\n    ledgerTransactionReverse(id: $id, note: $note, allowClawback: $allowClawback, idempotencyKey: $idempotencyKey) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation Reverse($id: ID!, $note: String!, $allowClawback: Boolean, $idempotencyKey: String) {\n    ledgerTransactionReverse(id: $id, note: $note, allowClawback: $allowClawback, idempotencyKey: $idempotencyKey) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CardBatches {\n    cardBatches { id name createdAt finishedAt kind status quantity progress expiresAt error }\n  }\n"): (typeof documents)["\n  query CardBatches {\n    cardBatches { id name createdAt finishedAt kind status quantity progress expiresAt error }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CardBatchPoll($id: ID!) {\n    cardBatch(id: $id) { id name status quantity progress error finishedAt }\n  }\n"): (typeof documents)["\n  query CardBatchPoll($id: ID!) {\n    cardBatch(id: $id) { id name status quantity progress error finishedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CardBatchCreate($input: CardBatchCreateInput!) {\n    cardBatchCreate(input: $input) {\n      batch { id name status quantity progress }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation CardBatchCreate($input: CardBatchCreateInput!) {\n    cardBatchCreate(input: $input) {\n      batch { id name status quantity progress }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CardBatchExport($id: ID!, $format: CardExportFormatEnum!) {\n    cardBatchExport(id: $id, format: $format) {\n      file { url filename contentType }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation CardBatchExport($id: ID!, $format: CardExportFormatEnum!) {\n    cardBatchExport(id: $id, format: $format) {\n      file { url filename contentType }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CardBlock($id: ID!, $reason: String!) {\n    cardBlock(id: $id, reason: $reason) {\n      card { id state }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation CardBlock($id: ID!, $reason: String!) {\n    cardBlock(id: $id, reason: $reason) {\n      card { id state }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CardReplace($id: ID!, $chipUid: String) {\n    cardReplace(id: $id, chipUid: $chipUid) {\n      card { id maskedCode state }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation CardReplace($id: ID!, $chipUid: String) {\n    cardReplace(id: $id, chipUid: $chipUid) {\n      card { id maskedCode state }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CardLink($customerId: ID, $code: String, $chipUid: String) {\n    cardLink(customerId: $customerId, code: $code, chipUid: $chipUid, direction: CARD_TO_WALLET) {\n      card { id maskedCode state }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation CardLink($customerId: ID, $code: String, $chipUid: String) {\n    cardLink(customerId: $customerId, code: $code, chipUid: $chipUid, direction: CARD_TO_WALLET) {\n      card { id maskedCode state }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LoyaltyProgram {\n    loyaltyProgram {\n      enabled earnPoints earnAmount { amount currency } earnBase earnRounding earnMoment pendingDays\n      registrationPoints newsletterPoints reviewPoints reviewPolicy\n      customActions { code points oncePerCustomer }\n      earnRules { mode pointsPerUnit percent product { id name } category { id name } }\n      redeemPoints redeemAmount { amount currency } redeemMinBalance redeemMinCart { amount currency }\n      redeemMaxType redeemMaxValue redeemExcludeDiscounted\n      redeemIncludeProducts { id name } redeemIncludeCategories { id name }\n      redeemExcludeProducts { id name } redeemExcludeCategories { id name }\n      convertPoints convertAmount { amount currency } convertMinPoints\n      expiryDays expiringSoonDays introText updatedAt\n    }\n  }\n"): (typeof documents)["\n  query LoyaltyProgram {\n    loyaltyProgram {\n      enabled earnPoints earnAmount { amount currency } earnBase earnRounding earnMoment pendingDays\n      registrationPoints newsletterPoints reviewPoints reviewPolicy\n      customActions { code points oncePerCustomer }\n      earnRules { mode pointsPerUnit percent product { id name } category { id name } }\n      redeemPoints redeemAmount { amount currency } redeemMinBalance redeemMinCart { amount currency }\n      redeemMaxType redeemMaxValue redeemExcludeDiscounted\n      redeemIncludeProducts { id name } redeemIncludeCategories { id name }\n      redeemExcludeProducts { id name } redeemExcludeCategories { id name }\n      convertPoints convertAmount { amount currency } convertMinPoints\n      expiryDays expiringSoonDays introText updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LoyaltyProgramUpdate($input: LoyaltyProgramInput!) {\n    loyaltyProgramUpdate(input: $input) {\n      loyaltyProgram { updatedAt }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation LoyaltyProgramUpdate($input: LoyaltyProgramInput!) {\n    loyaltyProgramUpdate(input: $input) {\n      loyaltyProgram { updatedAt }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CatalogueSearch($search: String!) {\n    products(first: 8, filter: { search: $search }) { edges { node { id name } } }\n    categories(first: 8, filter: { search: $search }) { edges { node { id name } } }\n  }\n"): (typeof documents)["\n  query CatalogueSearch($search: String!) {\n    products(first: 8, filter: { search: $search }) { edges { node { id name } } }\n    categories(first: 8, filter: { search: $search }) { edges { node { id name } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EarnRuleSet($input: LoyaltyEarnRuleInput!) {\n    loyaltyEarnRuleSet(input: $input) {\n      earnRule { mode }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation EarnRuleSet($input: LoyaltyEarnRuleInput!) {\n    loyaltyEarnRuleSet(input: $input) {\n      earnRule { mode }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EarnRuleDelete($productId: ID, $categoryId: ID) {\n    loyaltyEarnRuleDelete(productId: $productId, categoryId: $categoryId) {\n      deleted\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation EarnRuleDelete($productId: ID, $categoryId: ID) {\n    loyaltyEarnRuleDelete(productId: $productId, categoryId: $categoryId) {\n      deleted\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LedgerReport($filter: LedgerTransactionFilterInput, $unit: String!, $dateFrom: Date, $dateTo: Date) {\n    ledgerReport(filter: $filter) { count totals { reason unit count credit debit net } }\n    ledgerSystemBalances { account { id kind systemCode unit } balance { posted } }\n    ledgerSeries(unit: $unit, dateFrom: $dateFrom, dateTo: $dateTo) { date topups spend outstanding }\n  }\n"): (typeof documents)["\n  query LedgerReport($filter: LedgerTransactionFilterInput, $unit: String!, $dateFrom: Date, $dateTo: Date) {\n    ledgerReport(filter: $filter) { count totals { reason unit count credit debit net } }\n    ledgerSystemBalances { account { id kind systemCode unit } balance { posted } }\n    ledgerSeries(unit: $unit, dateFrom: $dateFrom, dateTo: $dateTo) { date topups spend outstanding }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LedgerExport($filter: LedgerTransactionFilterInput) {\n    ledgerExport(filter: $filter) {\n      file { url filename }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation LedgerExport($filter: LedgerTransactionFilterInput) {\n    ledgerExport(filter: $filter) {\n      file { url filename }\n      customerValueErrors { field message code }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RefundPreview($orderNumber: String!, $amount: Decimal, $percent: Decimal) {\n    orderRefundToWalletPreview(orderNumber: $orderNumber, amount: $amount, retentionBonusPercent: $percent) {\n      orderId orderNumber customerEmail currency captured alreadyRefunded refundable\n      amount bonus totalCredit walletBefore walletAfter allowed field message\n    }\n  }\n"): (typeof documents)["\n  query RefundPreview($orderNumber: String!, $amount: Decimal, $percent: Decimal) {\n    orderRefundToWalletPreview(orderNumber: $orderNumber, amount: $amount, retentionBonusPercent: $percent) {\n      orderId orderNumber customerEmail currency captured alreadyRefunded refundable\n      amount bonus totalCredit walletBefore walletAfter allowed field message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefundToWallet($orderId: ID!, $amount: Decimal!, $percent: Decimal, $note: String!, $idempotencyKey: String) {\n    orderRefundToWallet(orderId: $orderId, amount: $amount, retentionBonusPercent: $percent, note: $note, idempotencyKey: $idempotencyKey) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n"): (typeof documents)["\n  mutation RefundToWallet($orderId: ID!, $amount: Decimal!, $percent: Decimal, $note: String!, $idempotencyKey: String) {\n    orderRefundToWallet(orderId: $orderId, amount: $amount, retentionBonusPercent: $percent, note: $note, idempotencyKey: $idempotencyKey) {\n      transaction { id }\n      customerValueErrors { field message code }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;