/**
 * Which workspace a page was rendered for, sent back with what the page does: the `workspaceId` field of
 * a server action's form or the `X-Creditbook-Workspace` header of the portal's fetches. The current
 * workspace is a cookie, shared by every tab: after a switch in another tab, a form rendered for
 * workspace X would otherwise act on workspace Y. (Downloads name no workspace: a link opened after a
 * switch exports the current workspace, named in the file name, and changes nothing.) When the page says which
 * workspace it was for and that is no longer the current one, nothing is done (409, "reload"). This is
 * not the authorization check — membership and role are checked on every call whatever the page says —
 * so a caller that names no workspace (a script with a session cookie) acts on the current one.
 * The check is in lib/auth/session.ts; pages add the id with components/layout/workspace-scope.tsx.
 */
export const RENDERED_WORKSPACE_FIELD = "workspaceId";
export const RENDERED_WORKSPACE_HEADER = "x-creditbook-workspace";
