"use strict";
// The case page: pages with the fields' boxes drawn over them, the fields (flagged ones marked),
// keyboard-first: Enter confirms (or saves the corrected) field and moves to the next flagged one.
const caseId = document.body.dataset.caseId;
const SVG = "http://www.w3.org/2000/svg";
const DOC_TYPES = ["invoice", "discharge_record", "expense_list", "id_card", "filing_form", "social_security_card",
  "medical_insurance_code", "medical_record", "residence_proof", "household_register", "birth_certificate",
  "death_certificate", "marriage_certificate", "bank_card", "passport", "hospital_certificate", "other"];
let data = null;
let fields = [];   // [{doc, field, key}] in page order
let current = -1;

const keyOf = (doc, field) => `${doc.position}/${field.name}`;

async function load(keepKey) {
  const result = await api("GET", `/api/review/cases/${encodeURIComponent(caseId)}`);
  if (!result.ok) { say(result.data ? result.data.message : "加载失败", true); return; }
  data = result.data;
  fields = data.documents.flatMap((doc) => doc.fields.map((field) => ({ doc, field, key: keyOf(doc, field) })));
  render();
  const keep = fields.findIndex((f) => f.key === keepKey);
  select(keep >= 0 ? keep : fields.findIndex((f) => f.field.flagged));
}

function render() {
  document.getElementById("case-item").textContent = `${data.item.name}（${data.item.region}）`;
  document.getElementById("case-version").textContent = data.version;
  document.getElementById("case-state").textContent = data.state;
  const verdict = data.verdict;
  const verdictBox = document.getElementById("verdict");
  verdictBox.textContent = verdict ? verdict.status : "";
  verdictBox.className = verdict ? `verdict ${verdict.status}` : "";
  const task = data.task;
  document.getElementById("task-info").textContent = task
    ? ` · 任务：${task.held_by_me ? "由我处理" : task.state === "leased" ? "他人处理中" : "待领取"}${task.deadline ? "，期限 " + task.deadline.slice(0, 16).replace("T", " ") : ""}`
    : " · 无待审任务";
  document.getElementById("reasons").replaceChildren(
    ...(verdict ? verdict.reasons : []).map((r) => el("li", { class: "reason", "data-code": r.code }, r.message)));
  document.getElementById("notice").textContent = verdict ? verdict.notice : "";
  renderPages();
  renderDocuments();
  renderChecklist();
  document.getElementById("versions").replaceChildren(
    el("tr", {}, el("th", {}, "版本"), el("th", {}, "结论"), el("th", {}, "原因"), el("th", {}, "操作人"), el("th", {}, "流程运行")),
    ...data.versions.map((v) => el("tr", {}, el("td", {}, v.version), el("td", {}, v.verdict), el("td", {}, v.cause),
      el("td", {}, v.actor), el("td", {}, v.flow_run_url ? el("a", { href: v.flow_run_url, target: "_blank", rel: "noopener" }, v.flow_run_id) : v.flow_run_id || ""))));
  document.getElementById("audit").replaceChildren(
    el("tr", {}, el("th", {}, "时间"), el("th", {}, "操作人"), el("th", {}, "来源"), el("th", {}, "操作"), el("th", {}, "字段"),
      el("th", {}, "修改前"), el("th", {}, "修改后")),
    ...data.audit.slice().reverse().map((e) => el("tr", { class: "event", "data-action": e.action },
      el("td", {}, e.at.slice(0, 19).replace("T", " ")), el("td", {}, e.actor), el("td", {}, e.source), el("td", {}, e.action),
      el("td", {}, e.field || ""), el("td", {}, show(e.before)), el("td", {}, show(e.after)))));
}

const show = (value) => (value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value));

function renderPages() {
  const holder = document.getElementById("pages");
  holder.replaceChildren();
  for (const doc of data.documents) {
    for (const page of doc.pages) {
      const img = el("img", { src: page.url, alt: `第${doc.position + 1}份材料 第${page.page}页` });
      const svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("class", "boxes");
      const figure = el("figure", { class: "page", "data-doc": doc.position, "data-page": page.page },
        el("figcaption", {}, `第${doc.position + 1}份 ${doc.doc_type_name} · 第${page.page}页`), el("div", { class: "stack" }, img, svg));
      img.addEventListener("load", () => svg.setAttribute("viewBox", `0 0 ${img.naturalWidth} ${img.naturalHeight}`));
      enableDrawing(svg, doc, page.page);
      for (const field of doc.fields) {
        const onPage = field.page === page.page || (field.page === null && doc.pages.length === 1);
        if (!field.bbox || !onPage) continue;
        const [x0, y0, x1, y1] = field.bbox;
        const rect = document.createElementNS(SVG, "rect");
        rect.setAttribute("x", x0); rect.setAttribute("y", y0);
        rect.setAttribute("width", Math.max(1, x1 - x0)); rect.setAttribute("height", Math.max(1, y1 - y0));
        rect.setAttribute("class", field.flagged ? "box flagged" : "box");
        rect.dataset.key = keyOf(doc, field);
        rect.addEventListener("click", () => select(fields.findIndex((f) => f.key === rect.dataset.key)));
        const title = document.createElementNS(SVG, "title");
        title.textContent = field.name;
        rect.append(title);
        svg.append(rect);
      }
      holder.append(figure);
    }
  }
}

// Shift + drag on a page draws a box; its text, read again by the server's OCR, goes into the
// selected field's input (saved only when the clerk presses Enter, as a correction).
function enableDrawing(svg, doc, pageNumber) {
  let start = null;
  let drawn = null;
  const point = (event) => {
    const p = svg.createSVGPoint();
    p.x = event.clientX; p.y = event.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  };
  svg.addEventListener("mousedown", (event) => {
    if (!event.shiftKey) return;
    event.preventDefault();
    start = point(event);
    drawn = document.createElementNS(SVG, "rect");
    drawn.setAttribute("class", "box drawn");
    svg.append(drawn);
  });
  svg.addEventListener("mousemove", (event) => {
    if (!start) return;
    const p = point(event);
    drawn.setAttribute("x", Math.min(start.x, p.x)); drawn.setAttribute("y", Math.min(start.y, p.y));
    drawn.setAttribute("width", Math.abs(p.x - start.x)); drawn.setAttribute("height", Math.abs(p.y - start.y));
  });
  svg.addEventListener("mouseup", async (event) => {
    if (!start) return;
    const p = point(event);
    const bbox = [Math.min(start.x, p.x), Math.min(start.y, p.y), Math.max(start.x, p.x), Math.max(start.y, p.y)];
    start = null;
    drawn.remove();
    const result = await api("POST", `/api/cases/${encodeURIComponent(caseId)}/documents/${doc.position}/pages/${pageNumber}/read`, { bbox });
    if (!result.ok) { say(result.data ? result.data.message : "识别失败", true); return; }
    say(`框选区域识别为：${result.data.text}（把握 ${result.data.confidence.toFixed(2)}），按 Enter 保存到当前字段`, false);
    if (current >= 0) {
      const input = document.querySelector(`.field[data-key="${CSS.escape(fields[current].key)}"] input.value`);
      if (input && !input.disabled) { input.value = result.data.text; input.focus(); }
    }
  });
}

function renderDocuments() {
  const holder = document.getElementById("documents");
  holder.replaceChildren();
  for (const doc of data.documents) {
    const typeSelect = el("select", { class: "doc-type" }, ...DOC_TYPES.map((t) => el("option", { value: t, selected: t === doc.doc_type }, t)));
    const sideSelect = el("select", { class: "doc-side" }, ...["", "front", "back"].map((s) => el("option", { value: s, selected: (doc.side || "") === s }, s || "（无）")));
    const section = el("section", { class: "doc", "data-doc": doc.position },
      el("h3", {}, `第${doc.position + 1}份：${doc.doc_type_name}${doc.side ? "（" + doc.side + "）" : ""} · 把握 ${doc.confidence.toFixed(2)}${doc.is_copy ? " · 复印件" : ""}`),
      el("p", { class: "doc-edit" }, typeSelect, sideSelect,
        el("button", { type: "button", onclick: () => correctDocument(doc, typeSelect.value, sideSelect.value) }, "更正类型")),
      ...doc.failed_checks.map((m) => el("p", { class: "check failed" }, m)),
      ...doc.errors.map((m) => el("p", { class: "check failed" }, m)));
    for (const field of doc.fields) {
      const index = fields.findIndex((f) => f.key === keyOf(doc, field));
      const input = el("input", { class: "value", value: show(field.value), "data-original": show(field.value), disabled: field.masked });
      input.addEventListener("focus", () => select(index, true));
      const row = el("div", { class: `field${field.flagged ? " flagged" : ""}`, "data-key": keyOf(doc, field), "data-name": field.name },
        el("label", {}, field.name), input, el("span", { class: "conf" }, field.confidence.toFixed(2)),
        field.masked ? el("button", { type: "button", class: "reveal", onclick: () => reveal(doc, field, input) }, "显示完整号码") : null,
        ...field.checks.map((m) => el("span", { class: "check failed" }, m)));
      row.addEventListener("click", () => select(index, true));
      section.append(row);
    }
    holder.append(section);
  }
}

function renderChecklist() {
  const table = document.getElementById("checklist");
  table.replaceChildren(el("tr", {}, el("th", {}, "材料"), el("th", {}, "必需"), el("th", {}, "对应材料"), el("th", {}, "状态"), el("th", {}, "")));
  for (const m of data.checklist) {
    const state = m.missing ? `缺少${m.detail ? "（" + m.detail + "）" : ""}` : m.copy_only ? "复印件" : m.original_uncertain ? "原件存疑" : m.seal_missing ? "缺印章" : m.satisfied_by.length ? "已满足" : "";
    const seen = (m.copy_only || m.original_uncertain)
      ? el("button", { type: "button", onclick: () => write("POST", `/api/cases/${caseId}/materials/${m.material_id}/seen`, {}) }, "已核验原件") : null;
    table.append(el("tr", { class: m.missing ? "missing" : "" }, el("td", {}, m.name), el("td", {}, m.required ? "是" : "否"),
      el("td", {}, m.satisfied_by.map((n) => `第${n + 1}份`).join("、")), el("td", {}, state), el("td", {}, seen)));
  }
}

function select(index, keepFocus) {
  if (index < 0 || index >= fields.length) return;
  current = index;
  const key = fields[index].key;
  document.querySelectorAll(".field.current, rect.current").forEach((n) => n.classList.remove("current"));
  const row = document.querySelector(`.field[data-key="${CSS.escape(key)}"]`);
  const rect = document.querySelector(`rect[data-key="${CSS.escape(key)}"]`);
  if (row) { row.classList.add("current"); if (!keepFocus) row.scrollIntoView({ block: "nearest" }); }
  if (rect) { rect.classList.add("current"); if (!keepFocus) rect.closest("figure").scrollIntoView({ block: "nearest" }); }
}

function nextFlagged() {
  for (let step = 1; step <= fields.length; step++) {
    const i = (current + step) % fields.length;
    if (fields[i].field.flagged) return i;
  }
  return -1;
}

async function write(method, url, body) {
  const result = await api(method, url, { ...body, expected_version: data.version });
  if (!result.ok) { say(result.data ? result.data.message : "操作失败", true); return null; }
  say(`已保存（版本 ${result.data.version}，结论 ${result.data.verdict || result.data.case.verdict}）`, false);
  return result;
}

async function saveCurrent() {
  if (current < 0) return;
  const { doc, field, key } = fields[current];
  const input = document.querySelector(`.field[data-key="${CSS.escape(key)}"] input.value`);
  const base = `/api/cases/${encodeURIComponent(caseId)}/documents/${doc.position}/fields/${encodeURIComponent(field.name)}`;
  const changed = input && !input.disabled && input.value !== input.dataset.original;
  const result = changed ? await write("PATCH", base, { value: input.value }) : await write("POST", `${base}/confirm`, {});
  if (!result) return;
  const after = nextFlagged();
  const nextKey = after >= 0 && fields[after].key !== key ? fields[after].key : key;
  await load(nextKey);
  const landed = fields.findIndex((f) => f.key === nextKey);
  if (landed >= 0 && !fields[landed].field.flagged) select(nextFlaggedFrom(landed));
}

function nextFlaggedFrom(index) {
  const i = fields.findIndex((f, n) => n >= index && f.field.flagged);
  return i >= 0 ? i : index;
}

async function correctDocument(doc, docType, side) {
  if (await write("PATCH", `/api/cases/${encodeURIComponent(caseId)}/documents/${doc.position}`, { doc_type: docType, side: side || null })) await load();
}

async function reveal(doc, field, input) {
  const result = await api("GET", `/api/cases/${encodeURIComponent(caseId)}/documents/${doc.position}/fields/${encodeURIComponent(field.name)}/reveal`);
  if (!result.ok) { say(result.data ? result.data.message : "操作失败", true); return; }
  input.value = show(result.data.value);
  input.dataset.original = input.value;
  input.disabled = false;
}

async function decide(action) {
  const reason = document.getElementById("decision-reason").value.trim();
  const result = await api("POST", `/api/cases/${encodeURIComponent(caseId)}/decision`,
    { action, reason: reason || null, expected_version: data.version });
  if (!result.ok) { say(result.data ? result.data.message : "操作失败", true); return; }
  say(`已${{ confirm: "确认", reject: "退回", postpone: "暂缓" }[action]}：结论 ${result.data.verdict}（版本 ${result.data.version}）`, false);
  await load();
}

async function claim() {
  const result = await api("POST", `/api/review/cases/${encodeURIComponent(caseId)}/claim`);
  if (!result.ok) { say(result.data ? result.data.message : "领取失败", true); return; }
  say("已领取", false);
  await load();
}

async function release() {
  const reason = document.getElementById("decision-reason").value.trim();
  const result = await api("POST", `/api/review/cases/${encodeURIComponent(caseId)}/release`, { reason: reason || "放回队列" });
  if (!result.ok) { say(result.data ? result.data.message : "操作失败", true); return; }
  window.location.href = "/review";
}

document.getElementById("claim").addEventListener("click", claim);
document.getElementById("decide-confirm").addEventListener("click", () => decide("confirm"));
document.getElementById("decide-reject").addEventListener("click", () => decide("reject"));
document.getElementById("decide-postpone").addEventListener("click", () => decide("postpone"));
document.getElementById("release").addEventListener("click", release);

document.addEventListener("keydown", (event) => {
  const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement;
  if (event.key === "Enter" && (typing ? event.target.classList.contains("value") : true)) {
    event.preventDefault();
    saveCurrent();
    return;
  }
  if (typing) {
    if (event.key === "Escape") event.target.blur();
    return;
  }
  const key = event.key.toLowerCase();
  if (key === "j" || event.key === "ArrowDown") { select(current + 1); event.preventDefault(); }
  else if (key === "k" || event.key === "ArrowUp") { select(current - 1); event.preventDefault(); }
  else if (key === "n") select(nextFlagged());
  else if (key === "e" && current >= 0) {
    const input = document.querySelector(`.field[data-key="${CSS.escape(fields[current].key)}"] input.value`);
    if (input && !input.disabled) { input.focus(); input.select(); event.preventDefault(); }
  } else if (key === "c") decide("confirm");
});

load();
