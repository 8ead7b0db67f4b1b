// Browser journeys: every demo role logs in, visits every page in Dutch and English, and each
// page passes axe-core (WCAG 2.1 A/AA). One login happens with the keyboard only.
// Koers must be running at KOERS_E2E_URL (scripts/e2e starts it with demo data).
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { chromium } = require("playwright-core");
const axe = require("axe-core");

const BASE = process.env.KOERS_E2E_URL || "http://127.0.0.1:8089";
const PASSWORD = process.env.KOERS_DEMO_PASSWORD || "koers-demo";
const CHROMIUM = process.env.KOERS_CHROMIUM || "/usr/bin/chromium";

const ROLES = {
  "beheerder@demo.koers.test": ["/home", "/account", "/notifications", "/admin/outbox", "/admin/credentials", "/admin/sso", "/admin/privacy", "/admin/ooapi", "/admin/users/import", "/admin/users", "/admin/users/new", "/admin/users?q=sevda", "USER", "/admin/programmes", "PROGRAMME", "/admin/audit", "/admin/audit?verify=1", "/students", "STUDENT", "STUDENT_EDIT", "/students/import", "/frameworks", "/frameworks/career-competencies"],
  "manager@demo.koers.test": ["/home", "/account", "/admin/users", "/admin/programmes", "PROGRAMME", "/students?cohort=2025", "STUDENT", "/students/import", "/counsellors", "/coverage", "/coverage?programme=LO-ZW&cohort=2026", "/coverage/LO-ECO/rules", "/learning-line/LO-ECO", "/learning-line/LO-ECO/progress", "/teams", "EMPLOYEE", "STAFF_CONVERSATION", "/improvement-actions", "/partners", "PARTNER", "/placements", "PLACEMENT", "/field-needs", "/offer", "OFFER", "/alignment", "/vision", "/vision/new", "/vision/2", "/indicators", "/indicators/intake_in_time", "/indicators/conversations_per_student?programme=LO-ECO", "/quality", "/quality?programme=LO-ECO", "/self-scans/LO-ECO", "/self-scans/LO-ZW", "/progression", "/reports/annual", "/reports/annual?programme=LO-ECO"],
  "slb@demo.koers.test": ["/home", "/account", "/slots", "/groups", "GROUP", "/students", "/students?status=overdue", "ZOE", "ZOE_HANDOVER", "CONVERSATION", "/my-data"],
  "docent@demo.koers.test": ["/home", "/account", "/frameworks", "/frameworks/21st-century-skills", "/practice", "PRACTICE", "/learning-line/LO-ECO", "/learning-line/LO-ECO/activities/new", "ACTIVITY", "ACTIVITY_COMPLETIONS", "/evidence", "EVIDENCE", "/learning-line/LO-ECO/progress", "/designs/library", "DESIGN"],
  "student@demo.koers.test": ["/home", "/account", "/notifications", "/admin/users", "/career-file", "/book", "/practice", "PRACTICE", "/frameworks/counsellor-profile", "/learning-line/LO-ECO", "/evidence", "EVIDENCE", "/designs", "DESIGN", "/vision", "/credentials", "CREDENTIAL", "/verify", "/my-data", "/my-data/export", "/account/second-factor", "/privacy", "/accessibility"],
  "hr@demo.koers.test": ["/home", "/account", "/hrm-scan", "SCAN", "SCAN_NEW", "/improvement-actions", "ACTIONS_FORM", "/hr-records", "/teams", "EMPLOYEE", "/development", "/hrm-scan/instrument", "/indicators", "/indicators/staff_plans_up_to_date", "/quality", "/reports/annual"],
  "medewerker@demo.koers.test": ["/home", "/account", "/hrm-scan", "SCAN", "SCAN_ANSWER", "/development", "STAFF_CONVERSATION"],
  "mentor@demo.koers.test": ["/home", "/account", "/designs/library", "DESIGN", "/evidence", "/partners", "/placements", "PLACEMENT", "/field-needs", "/offer", "OFFER"],
  "mentor2@demo.koers.test": ["/home", "/placements", "PLACEMENT", "/offer"],
  "schoolopleider@demo.koers.test": ["/home", "/partners", "/placements", "PLACEMENT", "/field-needs", "/offer", "/field-survey"],
  "beheerder@tweede.koers.test": ["/home", "/admin/users", "/admin/programmes", "/admin/audit", "/students"],
};

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => { if (browser) await browser.close(); });

async function checkA11y(page, label) {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) stays on.
  await page.evaluate(axe.source);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  assert.deepEqual(problems, [], `axe violations on ${label}`);
}

async function login(page, email) {
  await page.goto(`${BASE}/login`);
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  assert.match(page.url(), /\/home$/, `login of ${email}`);
}

async function resolve(page, path) {
  if (path === "CREDENTIAL") {
    await page.goto(`${BASE}/credentials`);
    return await page.locator('main a[href^="/verify/"]').first().getAttribute("href");
  }
  if (path === "USER" || path === "PROGRAMME") {
    await page.goto(`${BASE}${path === "USER" ? "/admin/users" : "/admin/programmes"}`);
    const href = await page.locator(path === "USER" ? "#users-table tbody a" : "main tbody a").first().getAttribute("href");
    return href;
  }
  if (path === "STUDENT" || path === "ZOE") {
    await page.goto(`${BASE}/students${path === "ZOE" ? "?q=500000" : ""}`);
    return await page.locator("main tbody a").first().getAttribute("href");
  }
  if (path === "STUDENT_EDIT") {
    await page.goto(`${BASE}/students`);
    return `${await page.locator("main tbody a").first().getAttribute("href")}/edit`;
  }
  if (path === "GROUP") {
    await page.goto(`${BASE}/groups`);
    return await page.locator("main tbody a").first().getAttribute("href");
  }
  if (path === "ZOE_HANDOVER") {
    await page.goto(`${BASE}/students?q=500000`);
    return `${await page.locator("main tbody a").first().getAttribute("href")}/handover`;
  }
  if (path === "SCAN") {
    // The closed round with published results (the newest round is still open).
    await page.goto(`${BASE}/hrm-scan`);
    return await page.locator('main table a[href^="/hrm-scan/"]').last().getAttribute("href");
  }
  if (path === "SCAN_NEW") {
    // The open round of 2026, compared with 2025.
    await page.goto(`${BASE}/hrm-scan`);
    return await page.locator('main table a[href^="/hrm-scan/"]').first().getAttribute("href");
  }
  if (path === "SCAN_ANSWER") {
    await page.goto(`${BASE}/hrm-scan`);
    return await page.locator('main a[href$="/answer"]').first().getAttribute("href");
  }
  if (path === "PARTNER") {
    await page.goto(`${BASE}/partners`);
    return await page.locator('main a[href^="/partners/"]').first().getAttribute("href");
  }
  if (path === "PLACEMENT") {
    await page.goto(`${BASE}/placements`);
    return await page.locator('main a[href^="/placements/"]').first().getAttribute("href");
  }
  if (path === "OFFER") {
    await page.goto(`${BASE}/offer`);
    return await page.locator('main a[href^="/offer/"]').first().getAttribute("href");
  }
  if (path === "EMPLOYEE") {
    // The demo employee's development page, through the team list.
    await page.goto(`${BASE}/teams`);
    return await page.locator('main a[href^="/employees/"]', { hasText: "Mehmet" }).first().getAttribute("href");
  }
  if (path === "STAFF_CONVERSATION") {
    // The demo employee's planned career conversation with manager@.
    await page.goto(`${BASE}/development`);
    if (await page.locator('main a[href^="/staff-conversations/"]').count() === 0) {
      await page.goto(`${BASE}${await resolve(page, "EMPLOYEE")}`);
    }
    return await page.locator('main a[href^="/staff-conversations/"]').first().getAttribute("href");
  }
  if (path === "ACTIONS_FORM") {
    // The form for a new action, with the statements of one stage of the closed round.
    const round = (await resolve(page, "SCAN")).split("/").pop();
    return `/improvement-actions?round=${round}&stage=guidance`;
  }
  if (path === "DESIGN") {
    await page.goto(`${BASE}/designs/library`);
    return await page.locator('main a[href^="/designs/"]').first().getAttribute("href");
  }
  if (path === "EVIDENCE") {
    await page.goto(`${BASE}/evidence`);
    return await page.locator('main a[href^="/evidence/"]').first().getAttribute("href");
  }
  if (path === "ACTIVITY_COMPLETIONS") {
    await page.goto(`${BASE}/learning-line/LO-ECO`);
    const href = await page.locator('main a[href^="/activities/"]').first().getAttribute("href");
    return `${href}/completions`;
  }
  if (path === "ACTIVITY") {
    await page.goto(`${BASE}/learning-line/LO-ECO`);
    return await page.locator('main a[href^="/activities/"]').first().getAttribute("href");
  }
  if (path === "PRACTICE") {
    await page.goto(`${BASE}/practice`);
    return await page.locator('main a[href^="/practice/"]').first().getAttribute("href");
  }
  if (path === "CONVERSATION") {
    await page.goto(`${BASE}/students?q=500000`);
    await page.goto(`${BASE}${await page.locator("main tbody a").first().getAttribute("href")}`);
    return await page.locator('main a[href^="/conversations/"]').first().getAttribute("href");
  }
  return path;
}

async function setLanguage(page, lang) {
  const current = await page.getAttribute("html", "lang");
  if (current !== lang) {
    await Promise.all([page.waitForNavigation(), page.click(`.header-tools button[value=${lang}]`)]);
  }
  assert.equal(await page.getAttribute("html", "lang"), lang);
}

for (const [email, pages] of Object.entries(ROLES)) {
  test(`${email}: every page in nl and en passes axe`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await checkA11yAnonymous(page);
    await login(page, email);
    for (const lang of ["nl", "en"]) {
      await page.goto(`${BASE}/home`);
      await setLanguage(page, lang);
      for (const p of pages) {
        const path = await resolve(page, p);
        const res = await page.goto(`${BASE}${path}`);
        assert.ok(res.status() < 500, `${path} answered ${res.status()}`);
        assert.equal(await page.getAttribute("html", "lang"), lang, `${path} in ${lang}`);
        await checkA11y(page, `${path} (${email}, ${lang})`);
      }
    }
    await page.goto(`${BASE}/home`);
    await setLanguage(page, "nl");
    await Promise.all([page.waitForNavigation(), page.click(".header-tools button.secondary")]);
    assert.match(page.url(), /\/login$/);
    await context.close();
  });
}

async function checkA11yAnonymous(page) {
  await page.goto(`${BASE}/login`);
  await checkA11y(page, "/login");
  // The public statements: privacy (with the retention periods) and accessibility.
  for (const path of ["/privacy", "/privacy/demo", "/accessibility"]) {
    await page.goto(`${BASE}${path}`);
    await checkA11y(page, `${path} (anonymous)`);
    if (path === "/privacy/demo") {
      // The institution's own part: who is responsible and where to turn.
      assert.match(await page.textContent("#privacy-contact"), /privacy@demo\.koers\.test/);
    }
  }
  assert.match(await page.textContent("#a11y-status"), /WCAG 2\.1 AA/);
}

test("an employee sets up two-step verification and logs in with a code from oathtool", async () => {
  const { execFileSync } = require("node:child_process");
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "medewerker02@demo.koers.test");
  await page.goto(`${BASE}/account/second-factor`);
  await checkA11y(page, "/account/second-factor (setup)");
  const secret = (await page.textContent("#totp-secret")).replace(/\s/g, "");
  const code = (at) => execFileSync("oathtool", ["--totp", "-b", secret, "-N", `@${at}`]).toString().trim();
  const now = Math.floor(Date.now() / 1000);
  await page.fill("#code", code(now));
  await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
  const codes = await page.locator("#recovery-codes code").allTextContents();
  assert.equal(codes.length, 10);
  await checkA11y(page, "recovery codes");
  await Promise.all([page.waitForNavigation(), page.click(".header-tools button.secondary")]);
  // The password alone now leads to the code page.
  await page.fill("#email", "medewerker02@demo.koers.test");
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  assert.match(page.url(), /\/login\/second-factor/);
  await checkA11y(page, "/login/second-factor");
  await page.fill("#code", code(now + 30));
  await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
  assert.match(page.url(), /\/home$/);
  await page.goto(`${BASE}/account`);
  assert.match(await page.textContent("#second-factor-state"), /10 herstelcodes|10 recovery codes/);
  await context.close();
});

test("log in and out with the keyboard only", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  // The email field has focus on arrival.
  assert.equal(await page.evaluate(() => document.activeElement.id), "email");
  await page.keyboard.type("slb@demo.koers.test");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "password");
  await page.keyboard.type(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  assert.match(page.url(), /\/home$/);
  assert.ok(await page.locator("h2#h-caseload").isVisible());
  // The skip link is the first stop and moves focus to the content.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");
  // Log out with the keyboard: focus the button and press Enter.
  await page.locator(".header-tools button.secondary").focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  assert.match(page.url(), /\/login$/);
  await context.close();
});

test("a login link cannot send you to another site", async () => {
  // Chromium drops a tab in a URL and reads "\\" as "/": "/<TAB>/evil.example" would have
  // left Koers for evil.example after the login (issue 20).
  const context = await browser.newContext();
  const page = await context.newPage();
  const here = new URL(BASE);
  await page.goto(`${BASE}/login?next=/%09/evil.example`);
  await page.fill("#email", "slb@demo.koers.test");
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  assert.equal(new URL(page.url()).host, here.host);
  assert.match(page.url(), /\/home$/);
  for (const next of ["/%09/evil.example", "/%5Cevil.example", "/%0d%0aSet-Cookie:%20x=y", "%2F%2Fevil.example"]) {
    const response = await page.goto(`${BASE}/login?next=${next}`);
    assert.equal(new URL(page.url()).host, here.host, next);
    assert.match(page.url(), /\/home$/, next);
    assert.equal(response.status(), 200, next);
  }
  await context.close();
});

test("admin creates a user without JavaScript, errors keep the input", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await login(page, "beheerder@demo.koers.test");
  await page.goto(`${BASE}/admin/users/new`);
  await page.fill("#name", "Fatima Bouzid");
  await page.fill("#email", "geen-adres");
  await page.check("#role-counsellor");
  await Promise.all([page.waitForNavigation(), page.click("main form.card button[type=submit]")]);
  assert.equal(await page.inputValue("#name"), "Fatima Bouzid");
  assert.ok(await page.locator("#email-error").isVisible());
  await page.fill("#email", `fatima.${Date.now()}@demo.koers.test`);
  await Promise.all([page.waitForNavigation(), page.click("main form.card button[type=submit]")]);
  assert.ok(await page.locator("code.secret").isVisible(), "temporary password shown");
  await context.close();
});

test("counsellor plans a conversation; the student's calendar file passes independent parsers", async () => {
  const { execFileSync } = require("node:child_process");
  const fs = require("node:fs");
  const os = require("node:os");
  const path = require("node:path");
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "slb@demo.koers.test");
  await page.goto(`${BASE}/students?q=500000`);
  await Promise.all([page.waitForNavigation(), page.locator("main tbody a").first().click()]);
  // Plan a conversation on the day summer time starts, with characters that need escaping.
  await page.selectOption("#p-phase", "specialisation");
  await page.fill("#p-date", "2031-03-30");
  await page.fill("#p-time", "10:30");
  await page.fill("#p-duration", "45");
  await page.fill("#p-location", "Lokaal B2.14, tweede verdieping; neem je laptop mee");
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/conversations'] button")]);
  assert.match(page.url(), /\/conversations\/[0-9a-f-]+\?ok=created$/);
  const conversation = new URL(page.url()).pathname;
  await checkA11y(page, `${conversation} (slb, nl)`);
  // Move it once: the file's SEQUENCE goes up.
  await page.fill("#m-date", "2031-03-31");
  await page.fill("#m-time", "09:00");
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/reschedule'] button")]);
  await context.close();

  const student = await browser.newContext();
  const sp = await student.newPage();
  await login(sp, "student@demo.koers.test");
  await sp.goto(`${BASE}${conversation}`);
  await checkA11y(sp, `${conversation} (student, nl)`);
  const res = await sp.request.get(`${BASE}${conversation}/calendar.ics`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()["content-type"], /^text\/calendar/);
  const body = await res.body();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "koers-ics-")), "gesprek.ics");
  fs.writeFileSync(file, body);
  const out = execFileSync("python3", [path.join(__dirname, "..", "tools", "check_ics.py"), file]).toString();
  assert.match(out, /^ok: .* at 2031-03-31T09:00:00\+02:00/);
  assert.match(body.toString(), /SEQUENCE:1\r\n/);
  await student.close();
});

test("employee writes a development goal, the line manager agrees the plan and plans the career conversation", async () => {
  const { execFileSync } = require("node:child_process");
  const fs = require("node:fs");
  const os = require("node:os");
  const path = require("node:path");
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "medewerker@demo.koers.test");
  await Promise.all([page.waitForNavigation(), page.click("nav a[href='/development']")]);
  const own = new URL(page.url()).pathname;
  assert.match(own, /^\/employees\/[0-9a-f-]+$/);
  // A goal without a title is refused; what was chosen stays chosen.
  await page.locator("summary", { hasText: "Doel toevoegen" }).click();
  await page.check("input[name=competence][value='counsellor-profile/placement-guidance']");
  await page.fill("#g-due", "2027-06-30");
  await page.evaluate(() => document.querySelector("#g-title").removeAttribute("required"));
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/goals'] button")]);
  assert.ok(await page.isChecked("input[name=competence][value='counsellor-profile/placement-guidance']"));
  await checkA11y(page, `${own} with errors (medewerker, nl)`);
  await page.fill("#g-title", "Studenten begeleiden tijdens de BPV");
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/goals'] button")]);
  assert.match(page.url(), /ok=saved/);
  assert.ok((await page.textContent("main")).includes("Studenten begeleiden tijdens de BPV"));
  await context.close();

  const mc = await browser.newContext();
  const mp = await mc.newPage();
  await login(mp, "manager@demo.koers.test");
  await mp.goto(`${BASE}${own}`);
  await Promise.all([mp.waitForNavigation(), mp.click("form[action$='/agree'] button")]);
  assert.ok((await mp.textContent("main")).includes("Afgesproken"));
  await mp.locator("summary", { hasText: "Loopbaangesprek plannen" }).click();
  await mp.fill("#c-date", "2031-03-30");
  await mp.fill("#c-time", "14:00");
  await mp.fill("#c-location", "Kamer A1.05; tweede verdieping");
  await Promise.all([mp.waitForNavigation(), mp.click("form[action$='/conversations'] button")]);
  assert.match(mp.url(), /\/staff-conversations\/[0-9a-f-]+\?ok=created$/);
  const conversation = new URL(mp.url()).pathname;
  await checkA11y(mp, `${conversation} (manager, nl)`);
  const res = await mp.request.get(`${BASE}${conversation}/calendar.ics`);
  assert.equal(res.status(), 200);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "koers-ics-")), "loopbaangesprek.ics");
  fs.writeFileSync(file, await res.body());
  const out = execFileSync("python3", [path.join(__dirname, "..", "tools", "check_ics.py"), file]).toString();
  assert.match(out, /^ok: .* at 2031-03-30T14:00:00\+02:00/);
  await mc.close();
});

test("a new placement mentor is invited, activates the account and assesses a trainee's task", async () => {
  const mc = await browser.newContext();
  const mp = await mc.newPage();
  await login(mp, "manager@demo.koers.test");
  await mp.goto(`${BASE}/partners`);
  await Promise.all([mp.waitForNavigation(), mp.locator("main a", { hasText: "ROC Rijnmond" }).first().click()]);
  await mp.locator("summary", { hasText: "Iemand uitnodigen" }).click();
  await mp.fill("#i-name", "Noor Nieuwenhuis");
  await mp.fill("#i-email", "noor@rocrijnmond.example");
  await Promise.all([mp.waitForNavigation(), mp.click("form[action$='/invitations'] button")]);
  const link = await mp.inputValue("#inv-link");
  assert.match(link, /^\/invitations\/[A-Za-z0-9_-]{43}$/);
  await checkA11y(mp, "partner page with a new invitation (manager, nl)");
  await mc.close();

  const nc = await browser.newContext();
  const np = await nc.newPage();
  await np.goto(`${BASE}${link}`);
  await checkA11y(np, "invitation (anonymous, nl)");
  await np.fill("#a-password", "kort");
  await np.fill("#a-confirm", "kort");
  await Promise.all([np.waitForNavigation(), np.click("form button[type=submit]")]);
  assert.ok(await np.locator(".error-summary").isVisible(), "a weak password is refused");
  const pw = "Stagiairs-begeleiden-op-school-2026";
  await np.fill("#a-password", pw);
  await np.fill("#a-confirm", pw);
  await Promise.all([np.waitForNavigation(), np.click("form button[type=submit]")]);
  // The account is ready: the page now offers the way to log in (in the browser's language).
  assert.equal(await np.locator('main a[href="/login"]').count(), 1, await np.textContent("main"));
  await np.goto(`${BASE}/login`);
  await np.fill("#email", "noor@rocrijnmond.example");
  await np.fill("#password", pw);
  await Promise.all([np.waitForNavigation(), np.click("button[type=submit]")]);
  assert.match(np.url(), /\/home$/);
  await Promise.all([np.waitForNavigation(), np.click("nav a[href='/partners']")]);
  assert.ok((await np.textContent("h1")).includes("ROC Rijnmond"), "their own school");
  await checkA11y(np, "own partner page (new mentor, nl)");
  await nc.close();

  // The demo mentor assesses the task Zoë handed in.
  const oc = await browser.newContext();
  const op = await oc.newPage();
  await login(op, "mentor@demo.koers.test");
  await op.goto(`${BASE}${await resolve(op, "PLACEMENT")}`);
  const form = op.locator("form[action$='/assess']").last();
  await form.locator("input[name=level][value='3']").check();
  await form.locator("textarea[name=feedback]").fill("Sterke opening van de activiteit.");
  await Promise.all([op.waitForNavigation(), form.locator("button").click()]);
  assert.match(op.url(), /ok=saved/);
  assert.ok((await op.textContent("main")).includes("Sterke opening van de activiteit."));
  await checkA11y(op, "placement after assessing (mentor, nl)");
  await oc.close();
});

test("a course's sessions download as one calendar file that independent parsers accept", async () => {
  const { execFileSync } = require("node:child_process");
  const fs = require("node:fs");
  const os = require("node:os");
  const path = require("node:path");
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "mentor@demo.koers.test");
  await page.goto(`${BASE}${await resolve(page, "OFFER")}`);
  const href = await page.locator('main a[href$="/calendar.ics"]').getAttribute("href");
  const res = await page.request.get(`${BASE}${href}`);
  assert.equal(res.status(), 200);
  const body = await res.body();
  assert.ok((body.toString().match(/BEGIN:VEVENT/g) || []).length >= 1);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "koers-ics-")), "bijeenkomsten.ics");
  fs.writeFileSync(file, body);
  const out = execFileSync("python3", [path.join(__dirname, "..", "tools", "check_ics.py"), file]).toString();
  assert.match(out, /^ok: /);
  await context.close();
});

test("a student subscribes to a personal calendar feed that independent parsers accept", async () => {
  const { execFileSync } = require("node:child_process");
  const fs = require("node:fs");
  const os = require("node:os");
  const path = require("node:path");
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "student@demo.koers.test");
  await page.goto(`${BASE}/account`);
  await Promise.all([page.waitForNavigation(), page.click("#h-calendar ~ form button[type=submit]")]);
  const url = await page.inputValue("#feed-url");
  assert.match(url, /\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  await checkA11y(page, "/account with a calendar feed");
  // Calendar programs fetch it without a session.
  const res = await (await browser.newContext()).request.get(url);
  assert.equal(res.status(), 200);
  const body = await res.body();
  assert.ok((body.toString().match(/BEGIN:VEVENT/g) || []).length >= 2);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "koers-feed-")), "feed.ics");
  fs.writeFileSync(file, body);
  const out = execFileSync("python3", [path.join(__dirname, "..", "tools", "check_ics.py"), file]).toString();
  assert.match(out, /^ok: /);
  await context.close();
});

test("an administrator imports programmes and courses from a mock server generated from the OOAPI v5 specification", async () => {
  const ooapi = process.env.KOERS_E2E_OOAPI;
  assert.ok(ooapi, "the OOAPI mock runs (scripts/e2e)");
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "beheerder@demo.koers.test");
  await page.goto(`${BASE}/admin/programmes`);
  await Promise.all([page.waitForNavigation(), page.click('main a[href="/admin/ooapi"]')]);
  await page.fill("#url", ooapi);
  await page.fill("#token", "een-token");
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
  // The dry run shows the specification's example program and course, and changes nothing.
  const plan = await page.locator("#h-plan").locator("..").innerText();
  assert.match(plan, /Biology/);
  assert.match(await page.locator("main table tbody tr").first().innerText(), /1/);
  await checkA11y(page, "/admin/ooapi dry run");
  let programmes = await (await context.request.get(`${BASE}/admin/programmes`)).text();
  assert.doesNotMatch(programmes, /Biology/);
  await Promise.all([page.waitForNavigation(), page.click("#h-plan ~ form button[type=submit]")]);
  assert.match(await page.locator(".flash").innerText(), /Klaar: 2 nieuw, 0 gewijzigd\./);
  programmes = await (await context.request.get(`${BASE}/admin/programmes`)).text();
  assert.match(programmes, /Biology/);
  // Again: nothing new, nothing copied.
  await page.fill("#token", "een-token");
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
  const rows = await page.locator("main table tbody tr").allInnerTexts();
  assert.deepEqual(rows.map((r) => r.split("\t").slice(1).join(" ")), ["0 0 1", "0 0 1"]);
  await context.close();
});

async function ssoLogin(login, base = BASE) {
  const page = await (await browser.newContext({ locale: "nl-NL" })).newPage();
  await page.goto(`${base}/login`);
  await Promise.all([page.waitForNavigation(), page.click("#sso-login")]);
  assert.ok(page.url().startsWith(process.env.KOERS_E2E_OIDC), `at the provider: ${page.url()}`);
  await page.fill("input[name=login]", login);
  await page.fill("input[name=password]", "anything");
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  if (page.url().includes("/interaction/")) {
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  }
  return page;
}

test("people log in through a real OpenID provider with SURFconext claims; each failure has a clear page", async () => {
  const provider = process.env.KOERS_E2E_OIDC;
  assert.ok(provider, "the OpenID provider runs (scripts/e2e)");
  const mode = async (m) => assert.equal((await fetch(`${provider}/__test/mode/${m}`)).status, 200);
  await mode("normal");
  try {
    // An existing account, found by its verified email address.
    let page = await ssoLogin("student@demo.koers.test");
    assert.match(page.url(), /\/home$/);
    assert.match(await page.locator("h1").innerText(), /Zoë van der Meer/);
    // An existing student without an email address, found by student number.
    page = await ssoLogin("bram");
    assert.match(await page.locator("h1").innerText(), /Bram Jansen/);
    // Someone new: an account just in time, with the role of the affiliation.
    page = await ssoLogin("nieuw@demo.koers.test");
    assert.match(await page.locator("h1").innerText(), /Nina Nieuw/);
    await page.goto(`${BASE}/account`);
    assert.match(await page.locator("main").innerText(), /Medewerker/);
    // An institution that does not use Koers.
    page = await ssoLogin("bezoeker@elders.nl");
    assert.match(await page.locator("main").innerText(), /gebruikt Koers \(nog\) niet/);
    await checkA11y(page, "single sign-on error page");
    // A tampered ID token, an ID token of another login (nonce), a provider that drops the
    // token request: each refused with its own message, nobody logged in.
    for (const [m, text] of [["tamper", /niet te vertrouwen/], ["nonce", /hoort niet bij deze inlogpoging/],
      ["token-down", /niet bereikbaar/]]) {
      await mode(m);
      page = await ssoLogin("student@demo.koers.test");
      assert.match(await page.locator("main").innerText(), text, m);
      await page.goto(`${BASE}/home`);
      assert.match(page.url(), /\/login/, `not logged in after ${m}`);
    }
  } finally {
    await mode("normal");
  }
});

test("a Koers that requires the provider's second factor (acr) refuses a login without it", async () => {
  const provider = process.env.KOERS_E2E_OIDC;
  const base = process.env.KOERS_E2E_ACR_URL;
  assert.ok(provider && base, "the OpenID provider and the second Koers run (scripts/e2e)");
  const mode = async (m) => assert.equal((await fetch(`${provider}/__test/mode/${m}`)).status, 200);
  await mode("normal");
  try {
    // Koers asks for the second factor (acr_values) in its authorization request.
    const context = await browser.newContext({ locale: "nl-NL" });
    const probe = await context.newPage();
    const asked = [];
    probe.on("request", (r) => { if (r.url().startsWith(`${provider}/auth`)) asked.push(r.url()); });
    await probe.goto(`${base}/login`);
    await Promise.all([probe.waitForNavigation(), probe.click("#sso-login")]);
    assert.equal(new URL(asked[0]).searchParams.get("acr_values"), "urn:koers:test:mfa");
    await context.close();
    // A password alone at the provider: refused with its own message, nobody logged in.
    let page = await ssoLogin("student@demo.koers.test", base);
    assert.match(await page.locator("main").innerText(), /zonder de extra controle \(tweede stap\)/);
    await checkA11y(page, "single sign-on refused for a missing second factor");
    await page.goto(`${base}/home`);
    assert.match(page.url(), /\/login/, "not logged in without the second factor");
    // With the provider's second factor: in.
    await mode("mfa");
    page = await ssoLogin("student@demo.koers.test", base);
    assert.match(page.url(), /\/home$/);
    assert.match(await page.locator("h1").innerText(), /Zoë van der Meer/);
  } finally {
    await mode("normal");
  }
});

test("a student's Open Badge is accepted by an independent verifier and a tampered copy is not", async () => {
  const { execFileSync } = require("node:child_process");
  const fs = require("node:fs");
  const os = require("node:os");
  const path = require("node:path");
  const verify = (credential) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "koers-badge-")), "badge.json");
    fs.writeFileSync(file, JSON.stringify(credential));
    return JSON.parse(execFileSync("node", [path.join(__dirname, "..", "tools", "verify_credential.mjs"), file]).toString());
  };
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await login(page, "student@demo.koers.test");
  await page.goto(`${BASE}/credentials`);
  // The student downloads the badge from the page.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("main a[download]")]);
  const credential = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  assert.deepEqual(credential.type, ["VerifiableCredential", "OpenBadgeCredential"]);
  assert.equal(credential.proof.cryptosuite, "eddsa-rdfc-2022");
  assert.match(credential.issuer.id, /^did:key:z6Mk/);
  assert.deepEqual(verify(credential), { verified: true, errors: [] });
  const tampered = structuredClone(credential);
  tampered.credentialSubject.achievement.name = "Iets anders";
  const refused = verify(tampered);
  assert.equal(refused.verified, false, JSON.stringify(refused));
  // Every credential of the API list verifies too.
  const api = await context.request.post(`${BASE}/api/v1/sessions`, { data: { email: "student@demo.koers.test", password: PASSWORD } });
  const token = (await api.json()).token;
  const mine = await (await context.request.get(`${BASE}/api/v1/me/credentials`, { headers: { authorization: `Bearer ${token}` } })).json();
  assert.ok(mine.items.length >= 1);
  for (const item of mine.items) assert.equal(verify(item).verified, true);
  // Anyone can check it on the public page, also by pasting the file.
  const href = await page.locator('main a[href^="/verify/"]').first().getAttribute("href");
  const visitor = await (await browser.newContext({ locale: "nl-NL" })).newPage();
  await visitor.goto(`${BASE}${href}`);
  assert.match(await visitor.locator("main").innerText(), /Deze badge is echt\./);
  await checkA11y(visitor, "/verify/{id}");
  await visitor.goto(`${BASE}/verify`);
  await visitor.fill("#credential", JSON.stringify(tampered));
  await Promise.all([visitor.waitForNavigation(), visitor.click("main form button[type=submit]")]);
  assert.match(await visitor.locator("main").innerText(), /Deze badge is niet geldig\./);
  await checkA11y(visitor, "/verify with a tampered badge");
  await context.close();
});

test("a planned conversation is mailed through a real SMTP server with a calendar file parsers accept", async () => {
  const { execFileSync } = require("node:child_process");
  const path = require("node:path");
  const maildir = process.env.KOERS_E2E_MAILDIR;
  assert.ok(maildir, "scripts/e2e starts aiosmtpd and passes its Maildir");
  const context = await browser.newContext();
  const api = context.request;
  const token = async (email) => (await (await api.post(`${BASE}/api/v1/sessions`, { data: { email, password: PASSWORD } })).json()).token;
  const slb = await token("slb@demo.koers.test");
  const zoe = await token("student@demo.koers.test");
  const me = await (await api.get(`${BASE}/api/v1/me`, { headers: { Authorization: `Bearer ${zoe}` } })).json();
  const res = await api.post(`${BASE}/api/v1/conversations`, {
    headers: { Authorization: `Bearer ${slb}` },
    data: { student_id: me.student_id, phase: "progress", starts_at: "2030-03-05T10:00:00+01:00", duration_minutes: 45, location: "Lokaal B2.14" },
  });
  assert.equal(res.status(), 201);
  const out = execFileSync("python3", [path.join(__dirname, "..", "tools", "check_mail.py"), maildir, "student@demo.koers.test", "05-03-2030"]).toString();
  assert.match(out, /^ok: Loopbaangesprek gepland op 05-03-2030/m);
  // The administrator sees it sent in the outbox.
  const page = await context.newPage();
  await login(page, "beheerder@demo.koers.test");
  await page.goto(`${BASE}/admin/outbox`);
  assert.ok(await page.getByText("Loopbaangesprek gepland op 05-03-2030").first().isVisible());
  await context.close();
});

test("programme manager sets a target, adds an action and downloads the annual report as a PDF a parser reads", async () => {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "manager@demo.koers.test");
  await page.goto(`${BASE}/quality`);
  await page.fill("#t-outflow_guided", "veel");
  await Promise.all([page.waitForNavigation(), page.click("#h-plan ~ form button[type=submit]")]);
  assert.equal(await page.inputValue("#t-outflow_guided"), "veel", "the typed value stays");
  assert.ok(await page.locator(".error-summary").isVisible());
  await page.fill("#t-outflow_guided", "75");
  await Promise.all([page.waitForNavigation(), page.click("#h-plan ~ form button[type=submit]")]);
  assert.equal(await page.inputValue("#t-outflow_guided"), "75");
  await page.selectOption("#a-indicator", "outflow_guided");
  await page.fill("#a-title", "Uitstroomgesprek in de checklist");
  await Promise.all([page.waitForNavigation(), page.click("#h-do ~ form button[type=submit]")]);
  assert.ok(await page.getByText("Uitstroomgesprek in de checklist").first().isVisible());
  await checkA11y(page, "/quality after saving");
  // The annual report: a page with charts, and a PDF that an independent parser reads.
  await page.goto(`${BASE}/reports/annual?programme=LO-ECO`);
  assert.ok(await page.locator("figure.chart svg").count() >= 3);
  for (const [lang, title, indicator] of [["nl", "Jaarverslag LOB", "Intakegesprek op tijd"], ["en", "Annual LOB report", "Intake conversation in time"]]) {
    await setLanguage(page, lang);
    await page.goto(`${BASE}/reports/annual?programme=LO-ECO`);
    const href = await page.locator('main a[href*="format=pdf"]').getAttribute("href");
    const res = await page.request.get(`${BASE}${href}`);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()["content-type"], "application/pdf");
    const doc = await getDocument({ data: new Uint8Array(await res.body()), isEvalSupported: false, disableFontFace: true }).promise;
    assert.ok(doc.numPages >= 4, `${doc.numPages} pages`);
    let text = "";
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      text += content.items.map((x) => x.str).join(" ") + "\n";
    }
    assert.ok(text.includes(title), `${lang}: title in the PDF`);
    assert.ok(text.includes(indicator), `${lang}: indicator in the PDF`);
    assert.ok(text.includes("LO-ECO"), `${lang}: scope in the PDF`);
  }
  await setLanguage(page, "nl");
  await context.close();
});

test("programme manager imports students: errors with line numbers, then preview and confirm", async () => {
  const fs = require("node:fs");
  const os = require("node:os");
  const path = require("node:path");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "koers-csv-"));
  const stamp = Date.now();
  const bad = path.join(dir, "fout.csv");
  fs.writeFileSync(bad, `studentnummer;voornaam;achternaam;e-mail;opleiding;cohort\n${stamp}1;Lotte;Visser;geen-adres;LO-ECO;2026\n`);
  const good = path.join(dir, "goed.csv");
  fs.writeFileSync(good, `\ufeffstudentnummer;voornaam;tussenvoegsel;achternaam;e-mail;opleiding;cohort\n${stamp}1;Lotte;;Visser;lotte.${stamp}@student.example.nl;LO-ECO;2026\n${stamp}2;Milan;de;Boer;milan.${stamp}@student.example.nl;LO-TECH;2026\n`);
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "manager@demo.koers.test");
  await page.goto(`${BASE}/students/import`);
  await page.setInputFiles("#i-file", bad);
  await Promise.all([page.waitForNavigation(), page.click("form[enctype] button")]);
  assert.match(await page.locator("main table tbody").innerText(), /2\s+e-mail/);
  await checkA11y(page, "import errors (manager, nl)");
  await page.goto(`${BASE}/students/import`);
  await page.setInputFiles("#i-file", good);
  await Promise.all([page.waitForNavigation(), page.click("form[enctype] button")]);
  assert.ok(await page.getByText("Milan de Boer").isVisible());
  await checkA11y(page, "import preview (manager, nl)");
  await Promise.all([page.waitForNavigation(), page.click("form[action$='/confirm'] button")]);
  assert.match(page.url(), /\/students\/import\/runs\/[0-9a-f-]+$/);
  // The run's page follows the background import (by script) until it is done.
  await page.getByText("De import is klaar.").waitFor({ timeout: 10000 });
  assert.ok(await page.getByText("2 studenten toegevoegd").isVisible());
  await checkA11y(page, "import result (manager, nl)");
  await page.goto(`${BASE}/students/import`);
  assert.ok(await page.getByRole("heading", { name: "Eerdere imports" }).isVisible());
  await checkA11y(page, "earlier imports (manager, nl)");
  await page.goto(`${BASE}/students?q=${stamp}`);
  assert.equal(await page.locator("main tbody tr").count(), 2);
  await context.close();
});

test("student practises a career conversation: the analysis is explained, a wrong name keeps the text", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "student@demo.koers.test");
  await page.goto(`${BASE}/practice`);
  await page.fill("#p-title", "Oefening in de browser");
  await page.check("input[name=format][value=text]");
  await page.fill("#p-text", "Zoë: Hoi Sam, vertel eens, hoe ging je eerste week?\nSam: Goed! Vorige week heb ik mijn eerste les gegeven en dat vond ik leuk.\nZoë: Wat is je volgende stap?\nSam: Ik ga volgende week mijn mentor om feedback vragen.\n");
  await page.fill("#p-counsellor", "Zoe");
  await Promise.all([page.waitForNavigation(), page.click("form[action='/practice'] button")]);
  assert.ok(await page.getByText("spreekt niet in dit gesprek").isVisible());
  assert.match(await page.inputValue("#p-text"), /eerste les gegeven/);
  await checkA11y(page, "practice upload error (student, nl)");
  await page.check("input[name=counsellor][value='Zoë']");
  await Promise.all([page.waitForNavigation(), page.click("form[action='/practice'] button")]);
  assert.match(page.url(), /\/practice\/[0-9a-f-]+$/);
  assert.ok(await page.getByText("De student praat meer dan de begeleider").first().isVisible());
  await checkA11y(page, "practice analysis (student, nl)");
  await context.close();
});

test("student fills in the self-assessment, writes a reflection and books a time", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, "student@demo.koers.test");
  await page.goto(`${BASE}/career-file`);
  await page.click("#h-assessment ~ details summary");
  const names = await page.locator(".likert input[type=radio][value='4']").evaluateAll((els) => els.map((e) => e.name));
  assert.equal(names.length, 20);
  for (const n of names) await page.check(`input[name='${n}'][value='4']`);
  await Promise.all([page.waitForNavigation(), page.click("form[action='/career-file/self-assessments'] button")]);
  assert.match(page.url(), /ok=saved/);
  await page.selectOption("#r-exp", "workshop");
  await page.fill("#r-title", "Workshop gespreksvoering");
  await page.fill("#r-body", "Ik merkte dat ik te snel adviezen geef. Volgende keer vraag ik eerst door.");
  await Promise.all([page.waitForNavigation(), page.click("form[action='/career-file/reflections'] button")]);
  assert.ok(await page.getByText("Workshop gespreksvoering").first().isVisible());
  await checkA11y(page, "career file after saving (student, nl)");
  await page.goto(`${BASE}/book`);
  const first = page.locator("form[action^='/book/']").first();
  await first.locator("input[name=question]").fill("Ik wil praten over mijn stage.");
  await Promise.all([page.waitForNavigation(), first.locator("button").click()]);
  assert.match(page.url(), /\/conversations\/[0-9a-f-]+\?ok=created$/);
  assert.ok(await page.getByText("Ik wil praten over mijn stage.").isVisible());
  await context.close();
});
