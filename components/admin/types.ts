/** What an admin server action answers: a message to show, and field errors for the form. */
export type AdminActionResult = { ok: true; message: string } | { ok: false; message: string; fields?: Record<string, string> };
export type AdminAction = (formData: FormData) => Promise<AdminActionResult>;
