/** The one byte formatter (src/shared/byte-size.ts): units, rounding at unit edges, bad input. */
import { describe, expect, test } from "bun:test";
import { formatBytes } from "../../src/shared/byte-size.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

describe("formatBytes", () => {
  test("bytes below 1 KiB are exact", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1)).toBe("1 B");
    expect(formatBytes(300)).toBe("300 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(512.4)).toBe("512 B");
  });

  test("one decimal under 10 of a unit, whole numbers from 10", () => {
    expect(formatBytes(KiB)).toBe("1 KiB");
    expect(formatBytes(1.5 * KiB)).toBe("1.5 KiB");
    expect(formatBytes(9.94 * KiB)).toBe("9.9 KiB");
    expect(formatBytes(9.96 * KiB)).toBe("10 KiB");
    expect(formatBytes(12 * MiB)).toBe("12 MiB");
    expect(formatBytes(12.6 * MiB)).toBe("13 MiB");
    expect(formatBytes(50 * MiB)).toBe("50 MiB");
    expect(formatBytes(1.23 * GiB)).toBe("1.2 GiB");
    expect(formatBytes(3 * 1024 * GiB)).toBe("3 TiB");
  });

  test("rounding up to 1024 moves to the next unit", () => {
    expect(formatBytes(1023.6)).toBe("1 KiB");
    expect(formatBytes(1023.4 * KiB)).toBe("1023 KiB");
    expect(formatBytes(1023.7 * KiB)).toBe("1 MiB");
    expect(formatBytes(MiB - 1)).toBe("1 MiB");
    expect(formatBytes(GiB - 1)).toBe("1 GiB");
  });

  test("the largest unit keeps growing instead of running out", () => {
    expect(formatBytes(2048 * 1024 ** 5)).toBe("2048 PiB");
  });

  test("bad input gives a readable answer, never a throw or NaN", () => {
    expect(formatBytes(-1.5 * KiB)).toBe("-1.5 KiB");
    expect(formatBytes(Number.NaN)).toBe("? B");
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe("? B");
  });
});
