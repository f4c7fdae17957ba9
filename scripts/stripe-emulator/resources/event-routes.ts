// The events API (retrieve, list newest first); the event object itself is resources/events.ts.
import { invalidRequest } from "../errors.ts";
import { retrieve, route, type Route } from "../emulator.ts";
import { createdFilter, LIST_PARAMS, paginate } from "../list.ts";
import { typeMatches } from "./events.ts";

export const eventRoutes: Route[] = [
  route("GET", "/v1/events/:id", retrieve("event")),
  route("GET", "/v1/events", ({ emu, account, params }) => {
    params.allowOnly([...LIST_PARAMS, "type", "types"]);
    const type = params.str("type");
    const types = params.strList("types");
    if (type !== undefined && types.length > 0)
      throw invalidRequest("You may only specify one of these parameters: type, types.", { param: "type" });
    const created = createdFilter(params);
    const events = emu.store
      .newestFirst(account, "event")
      .filter(
        (e) =>
          (type === undefined || typeMatches(e.type, type)) &&
          (types.length === 0 || types.some((t) => typeMatches(e.type, t))) &&
          created(e),
      );
    return paginate(events, params, "/v1/events");
  }),
];
