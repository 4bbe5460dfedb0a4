import { graphql } from "../../shared/graphql/gql";

export const ValueReports = graphql(`
  query ValueReports($filter: ValueReportFilterInput, $flowUnit: String!, $dateFrom: Date, $dateTo: Date, $period: ReportPeriodEnum) {
    valueReport(filter: $filter) {
      unit count credit debit net average
      byReason { reason count credit debit net average }
    }
    valueLiability {
      wallets { currency outstanding held accounts }
      points { outstanding negative accounts value { amount currency } ratePoints rateAmount }
    }
    valueBreakage(dateFrom: $dateFrom, dateTo: $dateTo, period: MONTH) { periodStart unit expired count value }
    pointsExpiryForecast { days points lots customers value { amount currency } }
    valueFlow(unit: $flowUnit, dateFrom: $dateFrom, dateTo: $dateTo, period: $period) { periodStart topups spend credited debited net }
  }
`);

export const ValueReportExport = graphql(`
  mutation ValueReportExport($report: ValueReportKindEnum!, $filter: ValueReportFilterInput, $period: ReportPeriodEnum) {
    valueReportExport(report: $report, filter: $filter, period: $period) {
      file { url filename }
      customerValueErrors { field message code }
    }
  }
`);
