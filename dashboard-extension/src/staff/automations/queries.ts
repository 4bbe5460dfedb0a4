import { graphql } from "../../shared/graphql/gql";

export const AutomationOverview = graphql(`
  query AutomationOverview {
    badges(includeInactive: false) { id localizedTitle isTier }
    automationRuns(first: 30) {
      id action status points amount currency note total processed booked skipped failed progress cancelRequested createdAt finishedAt
      badge { localizedTitle }
      problems { customerEmail status message }
      periodicGift { name }
    }
    periodicGifts {
      id name frequency day month isActive action points amount currency
      occurrences { periodKey createdAt run { status booked total } }
    }
  }
`);

export const SegmentPreview = graphql(`
  query SegmentPreview($filter: AutomationSegmentInput!) {
    automationSegmentPreview(filter: $filter) { count sample { id email } }
  }
`);

export const RunCreate = graphql(`
  mutation AutomationRunCreate($filter: AutomationSegmentInput, $input: AutomationActionInput!) {
    automationRunCreate(filter: $filter, input: $input) {
      run { id status total }
      customerValueErrors { field message code }
    }
  }
`);

export const RunCancel = graphql(`
  mutation AutomationRunCancel($id: ID!) {
    automationRunCancel(id: $id) { run { id status cancelRequested } customerValueErrors { field message code } }
  }
`);

export const GiftSave = graphql(`
  mutation PeriodicGiftSave($id: ID, $input: PeriodicGiftInput!) {
    periodicGiftSave(id: $id, input: $input) {
      gift { id name isActive }
      customerValueErrors { field message code }
    }
  }
`);
