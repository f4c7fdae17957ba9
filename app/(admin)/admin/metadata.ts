import type { Metadata } from "next";
import { currentAdmin } from "@/lib/auth/session";

/**
 * A console page's `generateMetadata`: its title for operators only. Anyone else gets the 404 page's,
 * so the title does not hint at the console.
 */
export function adminMetadata(title: NonNullable<Metadata["title"]>): () => Promise<Metadata> {
  return async () => ((await currentAdmin()) ? { title } : {});
}
