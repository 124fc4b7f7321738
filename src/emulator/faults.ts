/**
 * Fault rules: answers a real Glance cannot be made to give on demand (429, 5xx, slow or broken
 * responses), applied to matching requests before normal handling.
 */
import { validateHeaderName, validateHeaderValue } from "node:http";
import type { FaultRule } from "./types.js";

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

function validate(rule: FaultRule): void {
  const times = rule.times ?? 1;
  if (!(times >= 1)) {
    throw new RangeError(`fault rule times must be at least 1 (or Infinity), got ${times}`);
  }
  const { action } = rule;
  if (action.kind === "respond") {
    if (!(Number.isInteger(action.status) && action.status >= 200 && action.status <= 999)) {
      throw new RangeError(`fault rule status must be a final HTTP status code, got ${action.status}`);
    }
    for (const [name, value] of Object.entries(action.headers ?? {})) {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    }
  }
  if (
    (action.kind === "delay" || action.kind === "stall-body") &&
    !(action.ms >= 0 && Number.isFinite(action.ms))
  ) {
    throw new RangeError(`fault rule ms must be a finite number of milliseconds, got ${action.ms}`);
  }
}

function matches(rule: FaultRule, method: string, target: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) {
    return false;
  }
  const { path } = rule;
  if (path === undefined) {
    return true;
  }
  if (typeof path === "string") {
    const queryAt = target.indexOf("?");
    return (queryAt === -1 ? target : target.slice(0, queryAt)).startsWith(path);
  }
  // A global or sticky RegExp keeps state between tests; always test from the start.
  path.lastIndex = 0;
  return path.test(target);
}

export class FaultBook {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    validate(rule);
    this.rules.push({ rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule matching the request, counting it as used once. */
  take(method: string, target: string): FaultRule | undefined {
    const active = this.rules.find((candidate) => matches(candidate.rule, method, target));
    if (active === undefined) {
      return undefined;
    }
    active.remaining -= 1;
    if (active.remaining <= 0) {
      this.rules = this.rules.filter((candidate) => candidate !== active);
    }
    return active.rule;
  }
}
