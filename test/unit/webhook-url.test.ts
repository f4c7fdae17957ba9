import { describe, expect, it } from "vitest";
import { checkWebhookUrl, isPublicAddress } from "@/lib/webhooks/url";

describe("isPublicAddress", () => {
  it("refuses private, loopback, link-local, shared, test, multicast and reserved IPv4 ranges", () => {
    for (const ip of [
      "0.0.0.0",
      "10.0.0.1",
      "127.0.0.1",
      "127.255.255.254",
      "100.64.0.1",
      "100.127.255.255",
      "169.254.169.254",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "192.0.0.8",
      "192.0.2.1",
      "198.18.0.1",
      "198.51.100.7",
      "203.0.113.9",
      "224.0.0.1",
      "240.0.0.1",
      "255.255.255.255",
    ]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
  });

  it("accepts public IPv4 addresses, including the neighbours of private ranges", () => {
    for (const ip of [
      "1.1.1.1",
      "8.8.8.8",
      "100.63.255.255",
      "100.128.0.0",
      "172.15.255.255",
      "172.32.0.0",
      "169.253.1.1",
      "192.169.0.1",
      "223.255.255.255",
    ]) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
  });

  it("refuses non-public IPv6 addresses, IPv4 ones in IPv6 clothing included", () => {
    for (const ip of [
      "::",
      "::1",
      "0:0:0:0:0:0:0:1",
      "fc00::1",
      "fd12:3456::1",
      "fe80::1",
      "fe80::1%eth0",
      "ff02::1",
      "2001:db8::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:169.254.169.254",
      "64:ff9b::10.0.0.1",
      "2002:c0a8:0101::1",
      "::127.0.0.1",
    ]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
  });

  it("accepts public IPv6 addresses and mapped public IPv4", () => {
    for (const ip of ["2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::1.1.1.1", "2002:0808:0808::1"]) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
  });

  it("is false for anything that is not an address", () => {
    for (const text of ["", "localhost", "example.com", "256.1.1.1", "1.2.3", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "::g"]) {
      expect(isPublicAddress(text), text).toBe(false);
    }
  });
});

describe("checkWebhookUrl", () => {
  const prod = { allowLocal: false };

  it("keeps public https URLs, normalised", () => {
    expect(checkWebhookUrl("https://Hooks.Example.com/a?b=1", prod)).toEqual({ ok: true, url: "https://hooks.example.com/a?b=1" });
    expect(checkWebhookUrl("https://[2606:4700:4700::1111]/a", prod).ok).toBe(true);
  });

  it("refuses private literals in every spelling the URL parser accepts", () => {
    // WHATWG URL turns decimal, hex and short IPv4 forms into dotted quads before we look.
    for (const raw of [
      "https://2130706433/a",
      "https://0x7f.1/a",
      "https://127.1/a",
      "https://[::ffff:10.0.0.1]/a",
      "https://[fd00::1]/a",
      "https://169.254.169.254/latest/meta-data",
      "https://metadata.google.internal/a",
      "https://printer.local/a",
      "https://app.localhost/a",
    ]) {
      expect(checkWebhookUrl(raw, prod), raw).toMatchObject({
        ok: false,
        message: "Use a public address: private and local addresses are refused.",
      });
    }
  });

  it("allows http only to this machine, and only in development and tests", () => {
    expect(checkWebhookUrl("http://127.0.0.1:8080/a", { allowLocal: true }).ok).toBe(true);
    expect(checkWebhookUrl("http://127.0.0.1:8080/a", prod)).toMatchObject({ ok: false, message: "Use an https:// URL." });
    expect(checkWebhookUrl("http://hooks.example.com/a", { allowLocal: true })).toMatchObject({ ok: false });
  });

  it("refuses credentials, other schemes, junk and long URLs", () => {
    expect(checkWebhookUrl("https://u:p@hooks.example.com/a", prod)).toMatchObject({
      ok: false,
      message: "Leave credentials out of the URL: verify the signature instead.",
    });
    for (const raw of [
      "ftp://hooks.example.com/a",
      "javascript:alert(1)",
      "hooks.example.com/a",
      `https://hooks.example.com/${"a".repeat(500)}`,
    ]) {
      expect(checkWebhookUrl(raw, prod).ok, raw).toBe(false);
    }
  });
});
