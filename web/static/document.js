// Document page: show where a field was found, and follow processing until it ends.
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
    const box = document.createElement("div");
    box.className = "field-box";
    box.setAttribute("aria-hidden", "true");
    box.style.left = img.offsetLeft + x0 * img.clientWidth + "px";
    box.style.top = img.offsetTop + y0 * img.clientHeight + "px";
    box.style.width = (x1 - x0) * img.clientWidth + "px";
    box.style.height = (y1 - y0) * img.clientHeight + "px";
    figure.append(box);
  }

  document.querySelectorAll(".field-link").forEach((button) => {
    button.addEventListener("click", () => showSpan(button));
  });

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
