import Foundation

/// One self-contained HTML page holding every frame of a walk as inline SVG, stepped with the
/// arrow keys: for presenting from a browser, with no network and no other file.
///
/// The page is also well-formed XML (void elements closed, no `<` or `&` in the script), so it
/// can be checked with an XML parser.
enum HTMLPlayer {
    /// The page. `frames` are Graphviz SVG documents; `captions` the step line of each; the page
    /// shows frame `opening` first (unless the address names another, `walk.html#5`).
    static func page(title: String, frames: [String], captions: [String], opening: Int, theme: Theme) -> String {
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
            html, body { margin: 0; background: \(background); color: \(text); font-family: "DejaVu Sans", sans-serif; }
            header { display: flex; gap: 1em; align-items: center; padding: 0.5em 1em; font-size: 14px; }
            header button { font: inherit; padding: 0.2em 0.8em; }
            #where { font-variant-numeric: tabular-nums; }
            .frame { display: none; padding: 0 1em; }
            .frame.shown { display: block; }
            .frame svg { max-width: 100%; height: auto; }
            </style>
            </head>
            <body>
            <header>
            <button id="back" title="previous step (←)">←</button>
            <button id="next" title="next step (→)">→</button>
            <span id="where"></span>
            <span>← → step · Home/End first/last · PgUp/PgDn ten steps</span>
            </header>
            <main>

            """
        for (index, frame) in frames.enumerated() {
            let caption = index < captions.count ? captions[index] : ""
            html += "<section class=\"frame\" id=\"step-\(index)\" aria-label=\"\(Escape.page(caption))\">\n"
            html += inlineSVG(frame)
            html += "\n</section>\n"
        }
        html += """
            </main>
            <script>
            (function () {
              var frames = document.querySelectorAll(".frame");
              var where = document.getElementById("where");
              var current = 0;
              function show(index) {
                index = Math.max(0, Math.min(frames.length - 1, index));
                frames[current].classList.remove("shown");
                current = index;
                frames[current].classList.add("shown");
                where.textContent = "frame " + (current + 1) + " of " + frames.length;
                history.replaceState(null, "", "#" + current);
              }
              document.addEventListener("keydown", function (event) {
                var moves = { ArrowRight: 1, ArrowDown: 1, " ": 1, ArrowLeft: -1, ArrowUp: -1,
                              PageDown: 10, PageUp: -10 };
                if (event.key in moves) { show(current + moves[event.key]); }
                else if (event.key === "Home") { show(0); }
                else if (event.key === "End") { show(frames.length - 1); }
                else { return; }
                event.preventDefault();
              });
              document.getElementById("back").onclick = function () { show(current - 1); };
              document.getElementById("next").onclick = function () { show(current + 1); };
              var start = parseInt(location.hash.slice(1), 10);
              show(isNaN(start) ? \(opening) : start);
            })();
            </script>
            </body>
            </html>

            """
        return html
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
