// An independent verifier for Open Badges 3.0 credentials: Digital Bazaar's `vc` library with
// the eddsa-rdfc-2022 cryptosuite and the Digital Credentials Consortium's document loader
// (bundled contexts, did:key resolution, no network). Prints {"verified": true|false, ...}
// for the credential in the file given as the first argument.
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { securityLoader } from "@digitalcredentials/security-document-loader";
import fs from "node:fs";

const documentLoader = securityLoader({ fetchRemoteContexts: false }).build();
const credential = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const suite = new DataIntegrityProof({ cryptosuite });
const result = await vc.verifyCredential({ credential, suite, documentLoader });
const errors = (result.results || []).map((r) => r.error && r.error.message).filter(Boolean);
if (result.error && errors.length === 0) errors.push(result.error.message || String(result.error));
console.log(JSON.stringify({ verified: result.verified, errors }));
