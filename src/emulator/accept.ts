/**
 * Accept-header negotiation as webob 1.8 does it (`acceptable_offers`): each offer takes the q of
 * the most specific media range that matches it, offers with q=0 drop out, the rest are sorted by
 * q with ties kept in offer order. An unparseable header accepts every offer; an empty one none.
 */

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[^"\\\\]|\\\\.)*"';
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})$`);
const PARAMETER = new RegExp(`^(${TOKEN})=(${TOKEN}|${QUOTED})$`);
const QVALUE = /^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$/;

interface MediaRange {
  type: string;
  subtype: string;
  params: string;
  q: number;
}

/** null when the header is not a valid Accept value. */
function parseAccept(header: string): MediaRange[] | null {
  const ranges: MediaRange[] = [];
  for (const element of header.split(",")) {
    const trimmed = element.trim();
    if (trimmed === "") {
      continue;
    }
    const [mediaType = "", ...rawParams] = trimmed.split(";").map((part) => part.trim());
    const match = MEDIA_TYPE.exec(mediaType);
    if (match === null) {
      return null;
    }
    const params: string[] = [];
    let q = 1;
    let inExtensions = false;
    for (const raw of rawParams) {
      const param = PARAMETER.exec(raw);
      if (param === null) {
        if (inExtensions && new RegExp(`^${TOKEN}$`).test(raw)) {
          continue;
        }
        return null;
      }
      const name = (param[1] ?? "").toLowerCase();
      const value = param[2] ?? "";
      if (inExtensions) {
        continue;
      }
      if (name === "q") {
        if (!QVALUE.test(value)) {
          return null;
        }
        q = Number(value);
        inExtensions = true;
      } else {
        params.push(`${name}=${value}`);
      }
    }
    ranges.push({
      type: (match[1] ?? "").toLowerCase(),
      subtype: (match[2] ?? "").toLowerCase(),
      params: params.join(";"),
      q,
    });
  }
  return ranges;
}

/**
 * The offers the header accepts, best first. `header` undefined means the request had no Accept
 * header at all, which accepts everything.
 */
export function acceptableOffers(header: string | undefined, offers: readonly string[]): string[] {
  if (header === undefined) {
    return [...offers];
  }
  const ranges = parseAccept(header);
  if (ranges === null) {
    return [...offers];
  }
  const scored: Array<{ offer: string; q: number; index: number }> = [];
  offers.forEach((offer, index) => {
    const [type = "", subtype = ""] = offer.toLowerCase().split("/");
    let best: { q: number; specificity: number } | null = null;
    for (const range of ranges) {
      let specificity: number;
      if (range.type === type && range.subtype === subtype) {
        if (range.params !== "") {
          // Offers here never carry parameters, so a range with parameters cannot match them.
          continue;
        }
        specificity = 3;
      } else if (range.subtype === "*" && range.type === type) {
        specificity = 2;
      } else if (range.type === "*" && range.subtype === "*") {
        specificity = 1;
      } else {
        continue;
      }
      if (best === null || specificity > best.specificity) {
        best = { q: range.q, specificity };
      }
    }
    if (best !== null && best.q > 0) {
      scored.push({ offer, q: best.q, index });
    }
  });
  scored.sort((a, b) => b.q - a.q || a.index - b.index);
  return scored.map((s) => s.offer);
}
