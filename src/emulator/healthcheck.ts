/**
 * GET /healthcheck as oslo.middleware's Healthcheck answers it in Glance's pipeline (before any
 * version or identity handling), with the disable_by_file backend reporting "OK".
 */
import { acceptableOffers } from "./accept.js";
import type { EmulatorRequest, EmulatorResponse } from "./http-types.js";
import { pyJsonDumps } from "./python.js";

/** Its HTML template rendered for one healthy backend, details off. */
const HTML =
  "<HTML>\n<HEAD><TITLE>Healthcheck Status</TITLE></HEAD>\n<BODY>\n\n<H2>Result of 1 checks:</H2>\n" +
  '<TABLE bgcolor="#ffffff" border="1">\n<TBODY>\n<TR>\n\n<TH>\nReason\n</TH>\n</TR>\n<TR>\n\n    <TD>OK</TD>\n\n' +
  "</TR>\n</TBODY>\n</TABLE>\n<HR></HR>\n\n</BODY>\n</HTML>";

export function healthcheck(request: EmulatorRequest): EmulatorResponse {
  if (request.method === "HEAD") {
    return {
      status: 204,
      reason: "No Content",
      headers: { "content-type": "text/plain; charset=UTF-8" },
      body: "",
    };
  }
  // Its offers, in its order; an unacceptable Accept falls back to plain text rather than a 406.
  const [match = "text/plain"] = acceptableOffers(request.headers.accept, [
    "text/plain",
    "text/html",
    "application/json",
  ]);
  const ok = { status: 200, reason: "OK" };
  switch (match) {
    case "application/json":
      return {
        ...ok,
        headers: { "content-type": "application/json" },
        body: pyJsonDumps(
          { detailed: false, reasons: ["OK"] },
          { ensureAscii: true, indent: 4, sortKeys: true },
        ),
      };
    case "text/html":
      return { ...ok, headers: { "content-type": "text/html; charset=UTF-8" }, body: HTML };
    default:
      return { ...ok, headers: { "content-type": "text/plain; charset=UTF-8" }, body: "OK" };
  }
}
