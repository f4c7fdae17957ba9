// A local x402 facilitator: the three endpoints of the facilitator API that Creditbook's resource server
// uses (GET /supported, POST /verify, POST /settle), with the request and response shapes of
// @x402/core's HTTPFacilitatorClient. Signatures are verified for real (verify.ts); settlement is
// instant, with a made-up transaction hash, and remembers the nonce so a payment settles once.
// The CLI is main.ts; docs/decisions/010-x402.md says why.
import http from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { PaymentPayload, PaymentRequirements, SettleResponse } from "@x402/core/types";
import { NETWORKS, verifyExactEvm } from "./verify.ts";

export type X402FacilitatorOptions = { port?: number; host?: string; quiet?: boolean };
export type X402Facilitator = { url: string; port: number; close(): Promise<void> };

/** The (made-up) address the emulated facilitator would send transactions from. */
const SIGNER = "0x0000000000000000000000000000000000fac111";
const MAX_BODY = 64 * 1024;

type Reply = { status: number; body: unknown };

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startX402Facilitator(options: X402FacilitatorOptions = {}): Promise<X402Facilitator> {
  const host = options.host ?? "127.0.0.1";
  const log = options.quiet ? () => {} : (line: string) => process.stderr.write(`[x402-facilitator] ${line}\n`);
  const used = new Set<string>();
  // Settlements of one nonce run one at a time: the check and the "transfer" happen with nothing in between.
  let settling: Promise<unknown> = Promise.resolve();

  async function handle(method: string, path: string, req: http.IncomingMessage): Promise<Reply> {
    if (method === "GET" && path === "/supported") {
      return {
        status: 200,
        body: {
          kinds: NETWORKS.map((network) => ({ x402Version: 2, scheme: "exact", network })),
          extensions: [],
          signers: { "eip155:*": [SIGNER] },
        },
      };
    }
    if (method !== "POST" || (path !== "/verify" && path !== "/settle"))
      return { status: 404, body: { error: `no route ${method} ${path}` } };
    let body: { paymentPayload?: PaymentPayload; paymentRequirements?: PaymentRequirements };
    try {
      body = (await readBody(req)) as typeof body;
    } catch {
      return { status: 400, body: { isValid: false, invalidReason: "invalid_request", invalidMessage: "The body must be JSON." } };
    }
    if (!body?.paymentPayload || !body.paymentRequirements) {
      return {
        status: 400,
        body: { isValid: false, invalidReason: "invalid_request", invalidMessage: "paymentPayload and paymentRequirements are required." },
      };
    }
    const nowSeconds = Math.floor(Date.now() / 1000);
    if (path === "/verify") {
      const { nonceKey: _key, ...result } = await verifyExactEvm(body.paymentPayload, body.paymentRequirements, used, nowSeconds);
      return { status: 200, body: result };
    }
    const run = settling.then(async (): Promise<Reply> => {
      const requirements = body.paymentRequirements!;
      const checked = await verifyExactEvm(body.paymentPayload!, requirements, used, nowSeconds);
      if (!checked.isValid || !checked.nonceKey) {
        const failed: SettleResponse = {
          success: false,
          errorReason: checked.invalidReason,
          errorMessage: checked.invalidMessage,
          payer: checked.payer,
          transaction: "",
          network: requirements.network,
        };
        return { status: 200, body: failed };
      }
      used.add(checked.nonceKey);
      const settled: SettleResponse = {
        success: true,
        payer: checked.payer,
        transaction: `0x${randomBytes(32).toString("hex")}`,
        network: requirements.network,
        amount: requirements.amount,
      };
      return { status: 200, body: settled };
    });
    settling = run.catch(() => undefined);
    return run;
  }

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://facilitator").pathname;
    handle(req.method ?? "GET", path, req).then(
      (reply) => {
        log(`${req.method} ${path} ${reply.status}`);
        const text = JSON.stringify(reply.body);
        res.writeHead(reply.status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.end(text);
      },
      (e: unknown) => {
        log(`${req.method} ${path} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "the facilitator emulator failed" }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
