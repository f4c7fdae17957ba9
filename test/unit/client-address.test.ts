import { describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, clientAddress, clientIp } from "@/lib/client-address";

describe("the client's address", () => {
  it("without a trusted proxy is the socket's peer, whatever X-Forwarded-For claims", () => {
    expect(clientAddress(undefined, "203.0.113.7", 0)).toBe("203.0.113.7");
    expect(clientAddress("1.2.3.4", "203.0.113.7", 0)).toBe("203.0.113.7");
  });

  it("behind N proxies is what the outermost one saw; addresses the client wrote further left are ignored", () => {
    // The client forged 1.2.3.4; the load balancer appended the real 198.51.100.9; the socket is the LB.
    expect(clientAddress("1.2.3.4, 198.51.100.9", "10.0.0.2", 1)).toBe("198.51.100.9");
    // CDN then load balancer.
    expect(clientAddress("1.2.3.4, 198.51.100.9, 172.16.0.5", "10.0.0.2", 2)).toBe("198.51.100.9");
    expect(clientAddress(["1.2.3.4", "198.51.100.9"], "10.0.0.2", 1)).toBe("198.51.100.9");
    // More proxies configured than the chain is long: the leftmost entry, never out of range.
    expect(clientAddress("198.51.100.9", "10.0.0.2", 5)).toBe("198.51.100.9");
    expect(clientAddress(undefined, undefined, 0)).toBe("unknown");
  });

  it("is read from the server's header only, never from X-Forwarded-For", () => {
    expect(clientIp(new Headers({ [CLIENT_IP_HEADER]: "198.51.100.9", "x-forwarded-for": "1.2.3.4" }))).toBe("198.51.100.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "1.2.3.4" }))).toBe("unknown");
    expect(clientIp({ [CLIENT_IP_HEADER]: ["198.51.100.9"] })).toBe("198.51.100.9");
  });
});
