// Document page: show where a field was found, show where a corrected value is, and follow
// processing until it ends.
"use strict";
(function () {
  const originals = new Map();

  function showSpan(button) {
    const pre = document.getElementById("page-text-" + button.dataset.page);
    if (!pre) return;
    document.querySelectorAll(".page-text").forEach((el) => {
      if (originals.has(el)) el.textContent = originals.get(el);
    });
    if (!originals.has(pre)) originals.set(pre, pre.textContent);
    const chars = Array.from(originals.get(pre)); // code points, as the server counts them
    const start = Number(button.dataset.start);
    const end = Number(button.dataset.end);
    const mark = document.createElement("mark");
    mark.className = "span-highlight";
    mark.tabIndex = -1;
    mark.textContent = chars.slice(start, end).join("");
    pre.textContent = "";
    pre.append(chars.slice(0, start).join(""), mark, chars.slice(end).join(""));
    mark.scrollIntoView({ block: "center", behavior: "smooth" });
    mark.focus({ preventScroll: true });
    document.querySelectorAll(".field-link[aria-pressed]").forEach((b) => b.removeAttribute("aria-pressed"));
    button.setAttribute("aria-pressed", "true");
    outline(button);
  }

  // The field's box on the page preview (fractions of the page; styles set here, as the CSP forbids inline ones).
  function outline(button) {
    document.querySelectorAll(".field-box").forEach((el) => el.remove());
    const figure = document.getElementById("preview-" + button.dataset.page);
    if (!figure || !button.dataset.box) return;
    const [x0, y0, x1, y1] = button.dataset.box.split(",").map(Number);
    const img = figure.querySelector("img");
    if (!img || [x0, y0, x1, y1].some((v) => !Number.isFinite(v))) return;
    drawBox(figure, img, { x0, y0, x1, y1 });
  }

  function drawBox(figure, img, b) {
    document.querySelectorAll(".field-box").forEach((el) => el.remove());
    const box = document.createElement("div");
    box.className = "field-box";
    box.setAttribute("aria-hidden", "true");
    box.style.left = img.offsetLeft + b.x0 * img.clientWidth + "px";
    box.style.top = img.offsetTop + b.y0 * img.clientHeight + "px";
    box.style.width = (b.x1 - b.x0) * img.clientWidth + "px";
    box.style.height = (b.y1 - b.y0) * img.clientHeight + "px";
    figure.append(box);
  }

  const fieldForm = document.getElementById("field-form");
  document.querySelectorAll(".field-link").forEach((button) => {
    button.addEventListener("click", () => {
      showSpan(button);
      const select = document.getElementById("field-name");
      if (select && select.querySelector('option[value="' + CSS.escape(button.dataset.name) + '"]')) {
        select.value = button.dataset.name;
      }
    });
  });

  // Showing where a value is: a box dragged (or a click) on a page preview fills the field
  // form's box and offers the words under it as the value (the form works without this).
  function fractionAt(img, event) {
    const rect = img.getBoundingClientRect();
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return [clamp((event.clientX - rect.left) / rect.width), clamp((event.clientY - rect.top) / rect.height)];
  }

  function located(figure, img, b) {
    const page = figure.id.replace("preview-", "");
    const round = (v) => Math.round(v * 10000) / 10000;
    const box = { x0: round(b.x0), y0: round(b.y0), x1: round(b.x1), y1: round(b.y1) };
    if (!(box.x0 < box.x1 && box.y0 < box.y1)) return;
    document.getElementById("field-page").value = page;
    Object.keys(box).forEach((k) => (document.getElementById("field-" + k).value = box[k]));
    drawBox(figure, img, box);
    const id = document.querySelector("article.document").dataset.documentId;
    const query = new URLSearchParams({ ...box, field: document.getElementById("field-name").value });
    const status = document.getElementById("located");
    fetch("/api/v1/documents/" + encodeURIComponent(id) + "/pages/" + page + "/words?" + query, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((answer) => {
        if (!answer.text) {
          status.textContent = fieldForm.dataset.none;
          return;
        }
        document.getElementById("field-value").value = answer.value || answer.text;
        status.textContent = fieldForm.dataset.read.replace("{text}", answer.text);
      })
      .catch(() => (status.textContent = fieldForm.dataset.none));
  }

  if (fieldForm) {
    document.getElementById("locate-hint").hidden = false;
    document.querySelectorAll("figure.preview").forEach((figure) => {
      const img = figure.querySelector("img");
      if (!img) return;
      img.draggable = false;
      img.classList.add("locating");
      let start = null;
      img.addEventListener("pointerdown", (event) => {
        event.preventDefault();
        start = fractionAt(img, event);
        img.setPointerCapture(event.pointerId);
      });
      img.addEventListener("pointermove", (event) => {
        if (!start) return;
        const [x, y] = fractionAt(img, event);
        drawBox(figure, img, { x0: Math.min(start[0], x), y0: Math.min(start[1], y), x1: Math.max(start[0], x), y1: Math.max(start[1], y) });
      });
      img.addEventListener("pointerup", (event) => {
        if (!start) return;
        const [x, y] = fractionAt(img, event);
        let b = { x0: Math.min(start[0], x), y0: Math.min(start[1], y), x1: Math.max(start[0], x), y1: Math.max(start[1], y) };
        if (b.x1 - b.x0 < 0.01 && b.y1 - b.y0 < 0.005) {
          // a click: the words around the point
          b = { x0: Math.max(0, x - 0.01), y0: Math.max(0, y - 0.004), x1: Math.min(1, x + 0.01), y1: Math.min(1, y + 0.004) };
        }
        start = null;
        located(figure, img, b);
      });
    });
  }

  // Adding a version: a file dropped on the form goes into its file field (the plain form works without this).
  const dropZone = document.getElementById("add-version");
  const fileInput = document.getElementById("version-file");
  if (dropZone && fileInput) {
    ["dragenter", "dragover"].forEach((name) =>
      dropZone.addEventListener(name, (event) => {
        event.preventDefault();
        dropZone.classList.add("dragging");
      })
    );
    ["dragleave", "drop"].forEach((name) =>
      dropZone.addEventListener(name, () => dropZone.classList.remove("dragging"))
    );
    dropZone.addEventListener("drop", (event) => {
      event.preventDefault();
      const files = event.dataTransfer && event.dataTransfer.files;
      if (!files || files.length !== 1) return;
      fileInput.files = files;
      document.getElementById("version-reason").focus();
    });
  }

  const article = document.querySelector("article.document");
  const status = document.getElementById("doc-status");
  if (!article || !status || status.dataset.final === "yes") return;
  const id = article.dataset.documentId;
  function poll() {
    fetch("/upload/status?ids=" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((answer) => {
        const doc = answer.documents[0];
        if (!doc) return;
        if (doc.status === "indexed" || doc.status === "failed") {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 2000);
      })
      .catch(() => window.setTimeout(poll, 5000));
  }
  window.setTimeout(poll, 2000);
})();
