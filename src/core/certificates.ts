/**
 * Outbound HTTPS trust, including from the compiled executable.
 *
 * Measured on Bun 1.4.5 (compiled and not): fetch trusts Bun's bundled roots plus the system store
 * (/etc/ssl/certs), and honours SSL_CERT_FILE and NODE_EXTRA_CA_CERTS read at process start. What the
 * original had to patch in its entry script works here as long as those variables point at real files,
 * so this module checks them and reports, once, where trust comes from (the About page shows it).
 */
import { existsSync } from "node:fs";

const SYSTEM_BUNDLES = [
  "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu
  "/etc/pki/tls/certs/ca-bundle.crt", // Fedora, RHEL
  "/etc/ssl/ca-bundle.pem", // openSUSE
  "/etc/ssl/cert.pem", // Alpine, macOS
];

export interface CertificateReport {
  systemBundle: string | undefined;
  sslCertFile: string | undefined;
  extraCaCerts: string | undefined;
  problems: string[];
}

export function inspectCertificates(env: Record<string, string | undefined>): CertificateReport {
  const problems: string[] = [];
  const check = (name: string, value: string | undefined) => {
    if (value && !existsSync(value)) problems.push(`${name} points to ${value}, which does not exist`);
    return value || undefined;
  };
  return {
    systemBundle: SYSTEM_BUNDLES.find((path) => existsSync(path)),
    sslCertFile: check("SSL_CERT_FILE", env.SSL_CERT_FILE),
    extraCaCerts: check("NODE_EXTRA_CA_CERTS", env.NODE_EXTRA_CA_CERTS),
    problems,
  };
}
