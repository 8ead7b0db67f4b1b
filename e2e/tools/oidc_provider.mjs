// A real OpenID provider for the browser tests: the certified `oidc-provider` package, on
// 127.0.0.1, with SURFconext-style accounts and claims. Its login page (dev interactions)
// takes any login name; the accounts below give their claims, any other name gets a person
// of the demo institution with an affiliation Koers does not know.
//
// usage: node oidc_provider.mjs PORT REDIRECT_URI[,REDIRECT_URI…]
//
// For the error tests, GET /__test/mode/NAME switches how it misbehaves until the next switch:
// `normal`, `tamper` (the ID token's payload is changed after signing), `nonce` (the
// authorization request's nonce is replaced, so the ID token carries another one) and
// `token-down` (the token endpoint drops the connection, as a provider that is down).
// Mode `mfa` logs people in with the authentication context (`acr`) of a second factor,
// `urn:koers:test:mfa`; in every other mode a login has no `acr`, as after a password alone.
import Provider from "oidc-provider";

const [port, redirects] = [Number(process.argv[2]), process.argv[3].split(",")];
const MFA = "urn:koers:test:mfa";
const issuer = `http://127.0.0.1:${port}`;
const code = (org, number) => `urn:schac:personalUniqueCode:nl:local:${org}:studentid:${number}`;

const ACCOUNTS = {
  // An existing Koers account, linked by its verified email address.
  "student@demo.koers.test": {
    given_name: "Zoë", family_name: "van der Meer", email: "student@demo.koers.test", email_verified: true,
    schac_home_organization: "demo.koers.test", edu_person_affiliations: ["student", "member"],
    schac_personal_unique_codes: [code("demo.koers.test", "500000")],
  },
  // An existing student without an email address at the provider: linked by student number.
  "bram": {
    given_name: "Bram", family_name: "Jansen",
    schac_home_organization: "demo.koers.test", edu_person_affiliations: ["student"],
    schac_personal_unique_codes: [code("demo.koers.test", "600001")],
  },
  // New to Koers: an account is made just in time, as an employee.
  "nieuw@demo.koers.test": {
    given_name: "Nina", family_name: "Nieuw", email: "nieuw@demo.koers.test", email_verified: true,
    schac_home_organization: "demo.koers.test", edu_person_affiliations: ["employee@demo.koers.test"],
  },
  // An institution that does not use Koers.
  "bezoeker@elders.nl": {
    given_name: "Bo", family_name: "Bezoeker", email: "bezoeker@elders.nl", email_verified: true,
    schac_home_organization: "elders.nl", edu_person_affiliations: ["student"],
  },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: "koers",
    client_secret: "koers-test-secret",
    redirect_uris: redirects,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  }],
  pkce: { required: () => true },
  scopes: ["openid", "profile", "email"],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name", "schac_home_organization",
      "edu_person_affiliations", "schac_personal_unique_codes"],
  },
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({
      sub: `surf-${Buffer.from(id).toString("hex")}`,
      ...(ACCOUNTS[id] || {
        given_name: id, schac_home_organization: "demo.koers.test", edu_person_affiliations: ["affiliate"],
      }),
    }),
  }),
  acrValues: [MFA],
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["koers-e2e-cookie-key"] },
});

let mode = "normal";
provider.use(async (ctx, next) => {
  const switched = ctx.path.match(/^\/__test\/mode\/([a-z-]+)$/);
  if (switched) {
    mode = switched[1];
    ctx.body = { mode };
    return;
  }
  // The dev login form, finished here with the second factor's acr.
  if (mode === "mfa" && ctx.method === "POST" && ctx.path.startsWith("/interaction/")) {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString();
    const form = new URLSearchParams(raw);
    if (form.get("prompt") === "login") {
      ctx.respond = false;
      await provider.interactionFinished(ctx.req, ctx.res, {
        login: { accountId: form.get("login"), acr: MFA, amr: ["pwd", "otp"] },
      }, { mergeWithLastSubmission: false });
      return;
    }
    // Anything else (consent) goes on as usual, with the body already read.
    ctx.request.body = raw;
  }
  if (mode === "token-down" && ctx.path === "/token") {
    ctx.req.socket.destroy();
    return;
  }
  if (mode === "nonce" && ctx.path === "/auth" && ctx.query.nonce) {
    ctx.query = { ...ctx.query, nonce: "a-nonce-from-another-login" };
  }
  await next();
  if (mode === "tamper" && ctx.path === "/token" && ctx.body && ctx.body.id_token) {
    const [header, payload, signature] = ctx.body.id_token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    claims.sub = "someone-else";
    ctx.body = { ...ctx.body, id_token: [header, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(".") };
  }
});

provider.listen(port, "127.0.0.1", () => console.log(`oidc provider at ${issuer}`));
