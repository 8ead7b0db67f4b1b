//! Open Badges 3.0 credentials: a W3C Verifiable Credential (`OpenBadgeCredential`) signed
//! with a Data Integrity proof (`eddsa-rdfc-2022`) by an issuer identified by a `did:key`,
//! so anyone can verify it offline.
//!
//! This crate knows nothing of the database: it makes issuer keys, builds and signs a
//! credential from plain values, and verifies one. The JSON-LD contexts it needs are
//! bundled (the VC 2.0 context by `ssi`, the Open Badges 3.0.3 context here), so neither
//! signing nor verifying goes to the network.

use serde_json::{Value, json};
use ssi::claims::SignatureEnvironment;
use ssi::claims::VerificationParameters;
use ssi::claims::data_integrity::{
    AnySuite, CryptographicSuite, DataIntegrity, ProofOptions, suites::EdDsaRdfc2022,
};
use ssi::dids::{DIDKey, DIDResolver};
use ssi::verification_methods::{AnyMethod, SingleSecretSigner};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The W3C Verifiable Credentials 2.0 context.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0 context (version 3.0.3).
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const OB_CONTEXT_DOCUMENT: &str = include_str!("../contexts/ob-context-3.0.3.json");

/// The only cryptosuite Koers signs with.
pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the issuer key cannot be read: {0}")]
    Key(String),
    #[error("the credential cannot be built: {0}")]
    Build(String),
    #[error("signing failed: {0}")]
    Sign(String),
}

/// Why a credential does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("this is not an Open Badges 3.0 credential: {0}")]
    Shape(String),
    #[error("the issuer is not a did:key")]
    Issuer,
    #[error("the signature does not match the content")]
    Signature,
    #[error("the credential is not valid at this time: {0}")]
    Period(String),
    #[error("the proof cannot be checked: {0}")]
    Proof(String),
}

static LOADER: LazyLock<ssi::json_ld::ContextLoader> = LazyLock::new(|| {
    let map = HashMap::from([(OB_CONTEXT.to_string(), OB_CONTEXT_DOCUMENT.to_string())]);
    ssi::json_ld::ContextLoader::default()
        .with_context_map_from(map)
        .expect("the bundled Open Badges context is valid JSON")
});

/// An issuer's signing key: its `did:key` and the private key as a JWK (kept in the
/// database; never shown).
#[derive(Clone)]
pub struct IssuerKey {
    pub did: String,
    pub jwk: String,
}

impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKey")
            .field("did", &self.did)
            .finish_non_exhaustive()
    }
}

impl IssuerKey {
    /// A new Ed25519 key and its `did:key`.
    pub fn generate() -> Result<Self, Error> {
        let key = ssi::jwk::JWK::generate_ed25519().map_err(|e| Error::Key(e.to_string()))?;
        let did = DIDKey::generate(&key).map_err(|e| Error::Key(e.to_string()))?;
        let jwk = serde_json::to_string(&key).map_err(|e| Error::Key(e.to_string()))?;
        Ok(Self {
            did: did.to_string(),
            jwk,
        })
    }
}

/// A competence (or other target) the achievement is aligned to.
#[derive(Debug, Clone)]
pub struct Alignment {
    pub name: String,
    pub url: String,
    /// A short code, e.g. the competence's key.
    pub code: String,
}

/// What the student achieved.
#[derive(Debug, Clone)]
pub struct Achievement {
    /// A URL that identifies the achievement (the same for every student).
    pub id: String,
    pub name: String,
    pub description: String,
    /// How it is earned, in words.
    pub criteria: String,
    pub alignments: Vec<Alignment>,
}

/// Everything a credential says, before it is signed.
#[derive(Debug, Clone)]
pub struct Unsigned {
    /// Becomes `urn:uuid:{id}`.
    pub id: String,
    /// The issuing institution's name (and its public address, when there is one).
    pub issuer_name: String,
    pub issuer_url: Option<String>,
    /// A pseudonymous identifier of the student (a URI), never a name or an email address.
    pub subject_id: String,
    /// RFC 3339, in UTC.
    pub valid_from: String,
    pub achievement: Achievement,
}

impl Unsigned {
    /// The credential as JSON-LD, without a proof.
    pub fn to_json(&self, issuer_did: &str) -> Value {
        let a = &self.achievement;
        let alignment: Vec<Value> = a
            .alignments
            .iter()
            .map(|al| {
                json!({
                    "type": ["Alignment"],
                    "targetName": al.name,
                    "targetUrl": al.url,
                    "targetCode": al.code,
                    "targetType": "ceasn:Competency",
                })
            })
            .collect();
        let mut achievement = json!({
            "id": a.id,
            "type": ["Achievement"],
            "achievementType": "Competency",
            "name": a.name,
            "description": a.description,
            "criteria": { "narrative": a.criteria },
        });
        if !alignment.is_empty() {
            achievement["alignment"] = Value::Array(alignment);
        }
        let mut issuer = json!({ "id": issuer_did, "type": ["Profile"], "name": self.issuer_name });
        if let Some(url) = &self.issuer_url {
            issuer["url"] = json!(url);
        }
        json!({
            "@context": [VC_CONTEXT, OB_CONTEXT],
            "id": format!("urn:uuid:{}", self.id),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": a.name,
            "issuer": issuer,
            "validFrom": self.valid_from,
            "credentialSubject": {
                "id": self.subject_id,
                "type": ["AchievementSubject"],
                "achievement": achievement,
            },
        })
    }
}

/// Sign a credential with the issuer's key: the full signed JSON.
pub async fn issue(unsigned: &Unsigned, key: &IssuerKey) -> Result<Value, Error> {
    let jwk: ssi::jwk::JWK =
        serde_json::from_str(&key.jwk).map_err(|e| Error::Key(e.to_string()))?;
    let method = DIDKey::generate_url(&jwk).map_err(|e| Error::Key(e.to_string()))?;
    let credential: ssi::claims::vc::v2::JsonCredential =
        serde_json::from_value(unsigned.to_json(&key.did))
            .map_err(|e| Error::Build(e.to_string()))?;
    let resolver = DIDKey.into_vm_resolver();
    let signer = SingleSecretSigner::new(jwk);
    let environment = SignatureEnvironment {
        json_ld_loader: LOADER.clone(),
        eip712_loader: (),
    };
    let signed = EdDsaRdfc2022
        .sign_with(
            environment,
            credential,
            &resolver,
            &signer,
            ProofOptions::from_method(method.into_iri().into()),
            (),
        )
        .await
        .map_err(|e| Error::Sign(e.to_string()))?;
    serde_json::to_value(&signed).map_err(|e| Error::Sign(e.to_string()))
}

/// What a verified credential says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub issuer_did: String,
}

/// Check a credential's shape and its `eddsa-rdfc-2022` proof by a `did:key` issuer,
/// offline.
pub async fn verify(document: &Value) -> Result<Verified, Invalid> {
    let types = document["type"].as_array().cloned().unwrap_or_default();
    if !types.iter().any(|t| t == "OpenBadgeCredential") {
        return Err(Invalid::Shape("type".into()));
    }
    let contexts = document["@context"].as_array().cloned().unwrap_or_default();
    if contexts.first().and_then(Value::as_str) != Some(VC_CONTEXT)
        || !contexts.iter().any(|c| c == OB_CONTEXT)
    {
        return Err(Invalid::Shape("@context".into()));
    }
    if document["proof"]["cryptosuite"] != CRYPTOSUITE {
        return Err(Invalid::Shape("proof.cryptosuite".into()));
    }
    let issuer = document["issuer"]["id"]
        .as_str()
        .or_else(|| document["issuer"].as_str())
        .unwrap_or_default();
    if !issuer.starts_with("did:key:") {
        return Err(Invalid::Issuer);
    }
    let method = document["proof"]["verificationMethod"]
        .as_str()
        .unwrap_or_default();
    if method.split('#').next() != Some(issuer) {
        return Err(Invalid::Issuer);
    }
    let credential: DataIntegrity<ssi::claims::vc::v2::JsonCredential, AnySuite> =
        serde_json::from_value(document.clone()).map_err(|e| Invalid::Shape(e.to_string()))?;
    let params = VerificationParameters::from_resolver(DIDKey.into_vm_resolver::<AnyMethod>())
        .with_json_ld_loader(LOADER.clone());
    match credential.verify(params).await {
        Ok(Ok(())) => Ok(Verified {
            issuer_did: issuer.to_string(),
        }),
        Ok(Err(ssi::claims::Invalid::Claims(e))) => Err(Invalid::Period(e.to_string())),
        Ok(Err(ssi::claims::Invalid::Proof(_))) => Err(Invalid::Signature),
        Err(e) => Err(Invalid::Proof(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Unsigned {
        Unsigned {
            id: "0193a8f0-0000-7000-8000-000000000001".into(),
            issuer_name: "Hogeschool Demo".into(),
            issuer_url: Some("https://koers.example".into()),
            subject_id: "urn:uuid:0193a8f0-0000-7000-8000-0000000000aa".into(),
            valid_from: "2026-01-05T10:00:00Z".into(),
            achievement: Achievement {
                id: "https://koers.example/achievements/career".into(),
                name: "Loopbaancompetenties".into(),
                description: "Alle vijf loopbaancompetenties afgetekend.".into(),
                criteria: "Een docent tekende elke competentie af.".into(),
                alignments: vec![Alignment {
                    name: "Kwaliteitenreflectie".into(),
                    url: "https://koers.example/frameworks/career#reflection".into(),
                    code: "reflection".into(),
                }],
            },
        }
    }

    #[tokio::test]
    async fn an_issued_credential_verifies_and_a_tampered_copy_does_not() {
        let key = IssuerKey::generate().unwrap();
        assert!(key.did.starts_with("did:key:z6Mk"), "{}", key.did);
        let signed = issue(&sample(), &key).await.unwrap();
        assert_eq!(signed["proof"]["cryptosuite"], CRYPTOSUITE);
        assert_eq!(signed["issuer"]["id"], key.did.as_str());
        assert_eq!(
            verify(&signed).await,
            Ok(Verified {
                issuer_did: key.did.clone()
            })
        );

        let mut tampered = signed.clone();
        tampered["credentialSubject"]["achievement"]["name"] = json!("Iets anders");
        assert_eq!(verify(&tampered).await, Err(Invalid::Signature));

        // Another issuer's name on the same proof.
        let other = IssuerKey::generate().unwrap();
        let mut forged = signed.clone();
        forged["issuer"]["id"] = json!(other.did);
        assert_eq!(verify(&forged).await, Err(Invalid::Issuer));

        let mut premature = sample();
        premature.valid_from = "2999-01-01T00:00:00Z".into();
        let premature = issue(&premature, &key).await.unwrap();
        assert!(matches!(verify(&premature).await, Err(Invalid::Period(_))));

        let mut not_a_badge = signed;
        not_a_badge["type"] = json!(["VerifiableCredential"]);
        assert!(matches!(verify(&not_a_badge).await, Err(Invalid::Shape(_))));
    }

    #[test]
    fn the_debug_form_of_a_key_hides_the_secret() {
        let key = IssuerKey::generate().unwrap();
        assert!(!format!("{key:?}").contains(&key.jwk));
    }
}
