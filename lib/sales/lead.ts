/** What a visitor wrote in a Contact-sales request: stored by lib/sales/leads.ts, mailed to operators, listed in the console. */
export type LeadContent = {
  name: string;
  email: string;
  company: string;
  expectedMonthlyCredits: number | null;
  message: string;
};
