/**
 * Helpers for reading upstream JSON defensively: anything that is not what the API documents
 * becomes a "bad-response" UpstreamError naming what was wrong.
 */
import { UpstreamError } from "./errors.js";
import type { UpstreamResponse } from "./http-client.js";

export type Json = Record<string, unknown>;

export class WireReader {
  constructor(private readonly response: UpstreamResponse) {}

  fail(what: string): never {
    throw new UpstreamError(
      "bad-response",
      `The upstream answer does not match the API: ${what}`,
      this.response.call,
      this.response.status,
      this.response.requestId,
    );
  }

  /** A header of the answer, lower-case name; null when absent. */
  header(name: string): string | null {
    const value = this.response.headers[name];
    return (Array.isArray(value) ? value[0] : value) ?? null;
  }

  root(): Json {
    return this.object(this.response.json, "body");
  }

  object(value: unknown, where: string): Json {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.fail(`${where} is not an object`);
    }
    return value as Json;
  }

  array(value: unknown, where: string): unknown[] {
    if (!Array.isArray(value)) {
      this.fail(`${where} is not an array`);
    }
    return value;
  }

  string(value: unknown, where: string): string {
    if (typeof value !== "string") {
      this.fail(`${where} is not a string`);
    }
    return value;
  }

  /** Glance echoes a non-string member on create and stores it as a string. */
  idString(value: unknown, where: string): string {
    if (typeof value === "string" && value !== "") {
      return value;
    }
    if (typeof value === "number" || typeof value === "boolean") {
      return String(value);
    }
    this.fail(`${where} is not an id`);
  }

  boolean(value: unknown, where: string): boolean {
    if (typeof value !== "boolean") {
      this.fail(`${where} is not a boolean`);
    }
    return value;
  }

  timestamp(value: unknown, where: string): Date {
    const text = this.string(value, where);
    const time = Date.parse(text);
    if (Number.isNaN(time)) {
      this.fail(`${where} is not a timestamp`);
    }
    return new Date(time);
  }
}
