import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { bootTimeFromUptime, fileSha256, readHostFacts, readManufacturerInfo } from "./host-facts.ts";

let sys: string;
beforeEach(() => {
  sys = mkdtempSync(join(tmpdir(), "sync-sys-"));
});
afterEach(() => rmSync(sys, { recursive: true, force: true }));

function dmi(files: Record<string, string>): void {
  const d = join(sys, "class", "dmi", "id");
  mkdirSync(d, { recursive: true });
  for (const [k, v] of Object.entries(files)) writeFileSync(join(d, k), v);
}

describe("readManufacturerInfo", () => {
  test("maps the DMI files to ZInfoManufacturer fields, trimmed", () => {
    dmi({
      sys_vendor: "QEMU\n",
      product_name: "Standard PC (Q35 + ICH9, 2009)\n",
      product_version: "pc-q35-8.2\n",
      product_serial: "SER-1\n",
      product_uuid: "0f1e2d3c-0000-1111-2222-333344445555\n",
      bios_vendor: "EFI Development Kit II / OVMF\n",
      bios_version: "0.0.0\n",
      bios_date: "02/06/2015\n",
    });
    expect(readManufacturerInfo(sys)).toEqual({
      manufacturer: "QEMU",
      productName: "Standard PC (Q35 + ICH9, 2009)",
      version: "pc-q35-8.2",
      serialNumber: "SER-1",
      UUID: "0f1e2d3c-0000-1111-2222-333344445555",
      biosVendor: "EFI Development Kit II / OVMF",
      biosVersion: "0.0.0",
      biosReleaseDate: "02/06/2015",
    });
  });

  test("leaves out missing, empty and unreadable fields", () => {
    dmi({ sys_vendor: "ACME\n", product_name: "\n", product_serial: "secret\n" });
    chmodSync(join(sys, "class", "dmi", "id", "product_serial"), 0o000);
    const info = readManufacturerInfo(sys);
    expect(info.manufacturer).toBe("ACME");
    expect(info.productName).toBeUndefined();
    expect(info.biosVendor).toBeUndefined();
    // Root can read a 0000 file; only check it is not reported empty.
    if (process.getuid?.() !== 0) expect(info.serialNumber).toBeUndefined();
  });

  test("returns nothing on a machine without DMI", () => {
    expect(readManufacturerInfo(join(sys, "absent"))).toEqual({});
  });
});

describe("host facts", () => {
  test("reports this machine with memory in MB", () => {
    const f = readHostFacts(sys);
    expect(f.machineArch.length).toBeGreaterThan(0);
    expect(f.cpuArch).toBe(f.machineArch);
    expect(f.ncpu).toBeGreaterThan(0);
    expect(f.memoryMB).toBeGreaterThan(16);
    expect(f.memoryMB).toBeLessThan(64 * 1024 * 1024);
  });

  test("puts the boot time in the past", () => {
    const now = new Date();
    expect(bootTimeFromUptime(now).getTime()).toBeLessThan(now.getTime());
  });

  test("hashes a file's exact bytes and says when it is missing", () => {
    const p = join(sys, "root-certificate.pem");
    writeFileSync(p, "pem bytes\n");
    expect(fileSha256(p)).toEqual(sha256(new TextEncoder().encode("pem bytes\n")));
    expect(fileSha256(join(sys, "nope"))).toBeUndefined();
  });
});
