/**
 * Parsed documents that passed validation, by their text, so that a client repeating an operation
 * (the usual case) costs neither a parse nor a validation. Bounded in entries and in characters;
 * the oldest entry goes first. Documents that fail are not kept: their errors come from Apollo
 * Server's own pipeline.
 */
import type { DocumentNode } from "graphql";

export interface DocumentCacheLimits {
  readonly maxEntries: number;
  /** The sum of the cached documents' lengths, in UTF-16 code units. */
  readonly maxChars: number;
}

export class DocumentCache {
  private readonly entries = new Map<string, DocumentNode>();
  private chars = 0;

  constructor(private readonly limits: DocumentCacheLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get(source: string): DocumentNode | undefined {
    return this.entries.get(source);
  }

  set(source: string, document: DocumentNode): void {
    if (source.length > this.limits.maxChars || this.entries.has(source)) {
      return;
    }
    this.entries.set(source, document);
    this.chars += source.length;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limits.maxEntries && this.chars <= this.limits.maxChars) {
        break;
      }
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
  }
}
