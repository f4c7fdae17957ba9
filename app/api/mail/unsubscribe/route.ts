import { handleOneClickUnsubscribe } from "@/lib/mail/unsubscribe";

export const POST = handleOneClickUnsubscribe;
