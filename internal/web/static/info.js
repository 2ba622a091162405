// Rich-text editor for information drafts: a contenteditable div that
// replaces the textarea when JavaScript runs. Pasted Word/WPS HTML is reduced
// to plain structure here for a clean look; the server sanitises every body
// again with an allow-list, so nothing here is a security boundary.
document.addEventListener("DOMContentLoaded", function () {
  var src = document.querySelector("[data-editor-source]");
  var ed = document.querySelector("[data-editor]");
  var bar = document.querySelector("[data-editor-toolbar]");
  if (!src || !ed) return;
  src.hidden = true;
  ed.hidden = false;
  if (bar) bar.hidden = false;
  ed.contentEditable = "true";
  ed.setAttribute("role", "textbox");
  ed.setAttribute("aria-multiline", "true");
  ed.setAttribute("aria-label", "正文");
  if (!ed.innerHTML.trim()) ed.innerHTML = "<p><br></p>";

  var keep = { P: 1, BR: 1, STRONG: 1, B: 1, EM: 1, I: 1, U: 1, H2: 1, H3: 1, H4: 1, UL: 1, OL: 1, LI: 1, TABLE: 1, THEAD: 1, TBODY: 1, TR: 1, TD: 1, TH: 1, BLOCKQUOTE: 1, IMG: 1 };
  function clean(node) {
    var kids = Array.prototype.slice.call(node.childNodes);
    kids.forEach(function (k) {
      if (k.nodeType === 8) { k.remove(); return; } // comments (Word conditionals)
      if (k.nodeType !== 1) return;
      if (/^(SCRIPT|STYLE|META|LINK|TITLE|XML|O:P)$/.test(k.tagName)) { k.remove(); return; }
      clean(k);
      if (!keep[k.tagName]) {
        // DIV becomes a paragraph; SPAN, FONT, A and unknown tags unwrap.
        if (k.tagName === "DIV") {
          var p = document.createElement("p");
          while (k.firstChild) p.appendChild(k.firstChild);
          k.replaceWith(p);
        } else {
          while (k.firstChild) k.parentNode.insertBefore(k.firstChild, k);
          k.remove();
        }
        return;
      }
      Array.prototype.slice.call(k.attributes).forEach(function (a) {
        if (!(k.tagName === "IMG" && (a.name === "src" || a.name === "alt")) && a.name !== "colspan" && a.name !== "rowspan") k.removeAttribute(a.name);
      });
      if (k.tagName === "IMG" && !/^\/info\/\d+\/img\/\d+$/.test(k.getAttribute("src") || "")) k.remove();
    });
  }
  ed.addEventListener("paste", function (e) {
    var dt = e.clipboardData;
    if (!dt) return;
    e.preventDefault();
    var html = dt.getData("text/html");
    var frag;
    if (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      clean(doc.body);
      frag = doc.body.innerHTML;
    } else {
      var text = dt.getData("text/plain");
      frag = text.split(/\r?\n/).filter(function (l) { return l.trim(); }).map(function (l) {
        var p = document.createElement("p"); p.textContent = l.trim(); return p.outerHTML;
      }).join("");
    }
    document.execCommand("insertHTML", false, frag);
  });
  if (bar) bar.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-cmd]");
    if (!b) return;
    ed.focus();
    document.execCommand(b.getAttribute("data-cmd"), false, b.getAttribute("data-arg") || null);
  });
  var form = src.form;
  if (form) form.addEventListener("submit", function () {
    clean(ed);
    src.value = ed.innerHTML;
  });
});
