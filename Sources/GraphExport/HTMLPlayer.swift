import Foundation

/// One self-contained HTML page holding every frame of a walk as inline SVG, for presenting
/// from a browser, with no network and no other file.
///
/// Made for a lecture hall: it opens at step 0 (nothing evaluated yet) unless the address names
/// a step (`walk.html#step=5`); a presentation clicker's PageDown/PageUp, the arrow keys and the
/// space bar move one step; `f` toggles full screen; every frame is scaled to fit the window,
/// width and height, so a tall graph never needs scrolling; `z` zooms to the nodes of the current
/// step (and back), so a picture too large to read whole is read step by step. The header counts steps as the
/// caption does ("step 5 of 16"): one numbering.
///
/// The page is also well-formed XML (void elements closed, no `<` or `&` in the script), so it
/// can be checked with an XML parser.
enum HTMLPlayer {
    /// The page. `frames` are Graphviz SVG documents, frame `k` drawing step `k`; `captions` the
    /// step line of each; the page shows step `opening` first unless the address names another.
    static func page(title: String, frames: [String], captions: [String], focus: [[String]] = [], opening: Int, theme: Theme) -> String {
        let background = theme == .dark ? "#111827" : "#ffffff"
        let text = theme == .dark ? "#f3f4f6" : "#1f2937"
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(Escape.page(title))</title>
            <style>
            html, body { margin: 0; height: 100%; overflow: hidden; background: \(background); color: \(text); font-family: "DejaVu Sans", sans-serif; }
            body { display: flex; flex-direction: column; }
            header { flex: none; display: flex; gap: 1em; align-items: center; padding: 0.4em 1em; font-size: 14px; }
            header button { font: inherit; padding: 0.2em 0.8em; }
            #where { font-variant-numeric: tabular-nums; font-weight: bold; }
            #keys { opacity: 0.7; }
            main { flex: 1; min-height: 0; position: relative; }
            .frame { display: none; position: absolute; top: 0; right: 0; bottom: 0; left: 0; padding: 0 1em 1em 1em; box-sizing: border-box; }
            .frame.shown { display: block; }
            .frame svg { display: block; width: 100%; height: 100%; }
            </style>
            </head>
            <body>
            <header>
            <button id="back" title="previous step (PageUp, ←)">←</button>
            <button id="next" title="next step (PageDown, →, space)">→</button>
            <span id="where"></span>
            <span id="keys">PageDown/PageUp or → ←: one step · Home/End: first/last · z: zoom to the step · f: full screen</span>
            </header>
            <main>

            """
        for (index, frame) in frames.enumerated() {
            let caption = index < captions.count ? captions[index] : ""
            let focused = index < focus.count ? focus[index].joined(separator: " ") : ""
            html += "<section class=\"frame\" id=\"step-\(index)\" aria-label=\"\(Escape.page(caption))\" data-focus=\"\(Escape.page(focused))\">\n"
            html += fitting(inlineSVG(frame))
            html += "\n</section>\n"
        }
        html += """
            </main>
            <script>
            (function () {
              var frames = document.querySelectorAll(".frame");
              var where = document.getElementById("where");
              var last = frames.length - 1;
              var current = 0;
              // Zoomed (z), a frame shows the nodes of its step and what is around them at a
              // size a back row can read, instead of the whole graph shrunk to the window.
              var zoomed = false;
              function frameSVG(frame) { return frame.querySelector("svg"); }
              function fullView(svg) {
                if (!svg.hasAttribute("data-full")) { svg.setAttribute("data-full", svg.getAttribute("viewBox")); }
                return svg.getAttribute("data-full");
              }
              function focusBox(frame) {
                var svg = frameSVG(frame), ids = (frame.getAttribute("data-focus") || "").split(" ");
                var box = null;
                svg.querySelectorAll("g.node").forEach(function (node) {
                  var title = node.querySelector("title");
                  if (!title) { return; }
                  if (ids.indexOf(title.textContent) === -1) { return; }
                  // The node's box in the SVG's user space, the viewBox's (Graphviz transforms its top group).
                  var b = node.getBBox(), toUser = svg.getScreenCTM().inverse().multiply(node.getScreenCTM());
                  var p = new DOMPoint(b.x, b.y).matrixTransform(toUser), q = new DOMPoint(b.x + b.width, b.y + b.height).matrixTransform(toUser);
                  var x0 = Math.min(p.x, q.x), y0 = Math.min(p.y, q.y), x1 = Math.max(p.x, q.x), y1 = Math.max(p.y, q.y);
                  box = box ? { x0: Math.min(box.x0, x0), y0: Math.min(box.y0, y0), x1: Math.max(box.x1, x1), y1: Math.max(box.y1, y1) }
                            : { x0: x0, y0: y0, x1: x1, y1: y1 };
                });
                return box;
              }
              function applyZoom(frame) {
                var svg = frameSVG(frame);
                if (!svg) { return; }
                var full = fullView(svg);
                var box = zoomed ? focusBox(frame) : null;
                if (!box) { svg.setAttribute("viewBox", full); return; }
                // At least 1000 by 560 points around the step (16:9; a node's text is 10 to 14
                // points), and never more than the whole picture.
                var f = full.split(/[ ,]+/).map(Number);
                var w = Math.min(f[2], Math.max(1000, box.x1 - box.x0 + 200)), h = Math.min(f[3], Math.max(560, box.y1 - box.y0 + 160));
                var x = Math.max(f[0], Math.min(f[0] + f[2] - w, (box.x0 + box.x1) / 2 - w / 2));
                var y = Math.max(f[1], Math.min(f[1] + f[3] - h, (box.y0 + box.y1) / 2 - h / 2));
                svg.setAttribute("viewBox", [x, y, w, h].join(" "));
              }
              function show(step) {
                step = Math.max(0, Math.min(last, step));
                frames[current].classList.remove("shown");
                current = step;
                frames[current].classList.add("shown");
                applyZoom(frames[current]);
                where.textContent = "step " + current + " of " + last + (zoomed ? " (zoomed: z shows all)" : "");
                history.replaceState(null, "", "#step=" + current);
              }
              // `#step=5`, or the bare `#5` of earlier pages.
              function stepInAddress() {
                var match = /^#(?:step=)?([0-9]+)$/.exec(location.hash);
                return match ? parseInt(match[1], 10) : NaN;
              }
              function toggleFullScreen() {
                if (document.fullscreenElement) { document.exitFullscreen(); }
                else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
              }
              // Clickers send PageDown/PageUp for next/previous: one step, as the arrows.
              var moves = { PageDown: 1, ArrowRight: 1, ArrowDown: 1, " ": 1, Enter: 1,
                            PageUp: -1, ArrowLeft: -1, ArrowUp: -1, Backspace: -1 };
              document.addEventListener("keydown", function (event) {
                if (event.ctrlKey || event.altKey || event.metaKey) { return; }
                if (event.key in moves) { show(current + (event.shiftKey ? -1 : 1) * moves[event.key]); }
                else if (event.key === "Home") { show(0); }
                else if (event.key === "End") { show(last); }
                else if (event.key === "f" || event.key === "F") { toggleFullScreen(); }
                else if (event.key === "z" || event.key === "Z") { zoomed = !zoomed; show(current); }
                else { return; }
                event.preventDefault();
              });
              window.addEventListener("hashchange", function () {
                var step = stepInAddress();
                if (!isNaN(step)) { show(step); }
              });
              document.getElementById("back").onclick = function () { show(current - 1); };
              document.getElementById("next").onclick = function () { show(current + 1); };
              var start = stepInAddress();
              show(isNaN(start) ? \(opening) : start);
            })();
            </script>
            </body>
            </html>

            """
        return html
    }

    /// The inline SVG made to scale with its frame: Graphviz's fixed `width`/`height` in points
    /// are dropped so that the stylesheet's 100 % applies, and the `viewBox` (with the default
    /// `xMidYMid meet`) keeps the proportions, so the whole graph fits the window either way.
    static func fitting(_ svg: String) -> String {
        guard let open = svg.range(of: "<svg"), let close = svg.range(of: ">", range: open.upperBound..<svg.endIndex) else {
            return svg
        }
        var tag = String(svg[open.lowerBound..<close.upperBound])
        for attribute in ["width", "height"] {
            if let found = tag.range(of: #"\s\#(attribute)="[^"]*""#, options: .regularExpression) {
                tag.removeSubrange(found)
            }
        }
        return svg[..<open.lowerBound] + tag + svg[close.upperBound...]
    }

    /// An SVG document without its XML declaration, DOCTYPE and comments, ready to inline.
    ///
    /// Graphviz escapes every text and attribute it writes; what is dropped here is only the
    /// prologue that HTML does not allow in the middle of a page.
    static func inlineSVG(_ document: String) -> String {
        guard let start = document.range(of: "<svg") else { return "" }
        // Graphviz's comments name nodes and clusters (ours are `n12`, `cluster_3`); drop them anyway.
        var svg = ""
        var rest = document[start.lowerBound...]
        while let open = rest.range(of: "<!--") {
            svg += rest[..<open.lowerBound]
            guard let close = rest.range(of: "-->", range: open.upperBound..<rest.endIndex) else {
                rest = rest[rest.endIndex...]
                break
            }
            rest = rest[close.upperBound...]
        }
        svg += rest
        return svg.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
