export type AlertActionResult = { ok: true } | { ok: false; message?: string; fields?: Record<string, string> };
export type AlertAction = (formData: FormData) => Promise<AlertActionResult>;
