package dev.isthmus.explore;

import java.util.List;

/**
 * Renders {@link FunctionListing}s as one self-contained HTML page (inline CSS and JS, no external resources), in
 * the spirit of {@code wasmtime explore}:
 *
 * <pre>
 *   ┌ function name ───────────────────────────────────────────────┐
 *   │ wasm (offset, text)        │ x86-64 (address, bytes, text)   │
 *   │ 0x2f  local.get 0  ◄──────►│ 0x10  mov eax, edi              │
 *   │ 0x31  i32.eqz              │ 0x12  test eax, eax             │
 *   └──────────────────────────────────────────────────────────────┘
 * </pre>
 * Every line carries {@code data-w="<wasm offset>"}; hovering or clicking a line highlights all lines (both sides)
 * with the same wasm offset, each wasm instruction gets a pastel colour its machine instructions share.
 */
public final class ExploreHtml {
    private ExploreHtml() {}

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:1em;background:#fafafa;color:#222}
            h1{font-size:1.3em} h2{font-size:1.05em;margin:1.2em 0 .3em;font-family:monospace}
            .fn{display:grid;grid-template-columns:minmax(20em,1fr) 2fr;gap:1em;background:#fff;border:1px solid #ccc;
                padding:.5em}
            .col{font-family:ui-monospace,monospace;font-size:12px;white-space:pre;overflow-x:auto}
            .ln{cursor:pointer;padding:0 .3em;border-left:4px solid transparent}
            .ln.hl{background:#ffe28a !important;border-left-color:#c80}
            .ln.pin{outline:1px solid #c80}
            .off{color:#888} .bytes{color:#999} .none{color:#aaa}
            .note{color:#a00}
            """;

    private static final String SCRIPT = """
            (function(){
              var pinned=null;
              function mark(w,cls,on){document.querySelectorAll('[data-w="'+w+'"]').forEach(function(e){
                e.classList.toggle(cls,on);});}
              document.querySelectorAll('.ln[data-w]').forEach(function(e){
                var w=e.getAttribute('data-w'); if(w==='-1')return;
                var h=(parseInt(w,10)*47)%360; e.style.background='hsl('+h+',70%,93%)';
                e.addEventListener('mouseenter',function(){mark(w,'hl',true);});
                e.addEventListener('mouseleave',function(){mark(w,'hl',false);});
                e.addEventListener('click',function(){ if(pinned!==null)mark(pinned,'pin',false);
                  pinned=(pinned===w)?null:w; if(pinned!==null){mark(w,'pin',true);
                  var other=document.querySelectorAll('[data-w="'+w+'"]'); other.forEach(function(o){
                    if(o.parentNode!==e.parentNode)o.scrollIntoView({block:'nearest'});});}});
              });
            })();
            """;

    /**
     * The page for {@code listings} of module {@code title}; {@code note} (may be null) is shown under the title,
     * e.g. when no disassembler was available.
     */
    public static String render(String title, List<FunctionListing> listings, String note) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>isthmus explore: ")
                .append(escape(title)).append("</title>\n<style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>isthmus explore: ").append(escape(title)).append("</h1>\n");
        if (note != null) html.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
        for (FunctionListing listing : listings) function(html, listing);
        html.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return html.toString();
    }

    private static void function(StringBuilder html, FunctionListing listing) {
        html.append("<h2 id=\"f").append(listing.index()).append("\">").append(escape(listing.name()))
                .append(" <span class=\"off\">(func ").append(listing.index()).append(")</span></h2>\n")
                .append("<div class=\"fn\"><div class=\"col wasm\">");
        for (FunctionListing.WasmLine line : listing.wasm()) {
            html.append("<div class=\"ln\" data-w=\"").append(line.offset()).append("\"><span class=\"off\">")
                    .append(String.format("%06x", line.offset())).append("</span>  ")
                    .append("  ".repeat(line.depth())).append(escape(line.text())).append("</div>");
        }
        html.append("</div><div class=\"col x64\">");
        for (FunctionListing.MachineLine line : listing.machine()) {
            html.append("<div class=\"ln").append(line.wasmOffset() < 0 ? " none" : "").append("\" data-w=\"")
                    .append(line.wasmOffset()).append("\"><span class=\"off\">")
                    .append(String.format("%06x", line.address())).append("</span>  <span class=\"bytes\">")
                    .append(String.format("%-30s", line.bytes())).append("</span> ").append(escape(line.text()))
                    .append("</div>");
        }
        html.append("</div></div>\n");
    }

    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '&' -> s.append("&amp;");
                case '"' -> s.append("&quot;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
