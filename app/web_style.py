"""The web chat's theme and CSS and the small script for links and buttons inside answers (no answer logic)."""


def theme():
    """Gradio's default theme with system fonts (no web fonts) and text dark enough to read: the softer text
    (quotes, scope lines, labels, hints) keeps a contrast of at least 4.5:1 (WCAG AA) on its background."""
    import gradio as gr

    return gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]).set(
        body_text_color_subdued="*neutral_600", body_text_color_subdued_dark="*neutral_300",
        block_info_text_color="*neutral_600", block_info_text_color_dark="*neutral_300",
        block_label_text_color="*neutral_700", block_label_text_color_dark="*neutral_200",
        block_title_text_color="*neutral_700", block_title_text_color_dark="*neutral_200",
        input_placeholder_color="*neutral_500", input_placeholder_color_dark="*neutral_400",
        button_primary_background_fill="*primary_700", button_primary_background_fill_dark="*primary_700",
        button_primary_background_fill_hover="*primary_800", button_primary_background_fill_hover_dark="*primary_800",
        button_primary_text_color="white", button_primary_text_color_dark="white",
    )


# Gradio scopes this CSS below its content element (.contain): selectors name elements inside it.
CSS = """
#header h1 {font-size:1.35rem; margin:0 0 .15rem}
#header .short-title {display:none}
#header .stand {color:var(--body-text-color); opacity:.8; margin:0; font-size:.9rem}
#conversation .conversation {display:flex; flex-direction:column; gap:1rem}
#conversation .turn {scroll-margin-top:8px}
#conversation .hint {color:var(--body-text-color-subdued)}
.bubble {border-radius:12px; padding:.6rem .9rem; max-width:52rem; overflow-wrap:anywhere}
.bubble.question {align-self:flex-end; background:var(--color-accent-soft); margin-left:auto; white-space:pre-wrap}
.bubble.answer {background:var(--background-fill-secondary); border:1px solid var(--border-color-primary)}
.bubble.answer p {margin:.3rem 0}
.bubble .headline {font-size:1.15rem}
.bubble .headline .scope {color:var(--body-text-color-subdued); font-size:.95rem}
.bubble h4.category {margin:.6rem 0 .2rem; font-size:1rem}
.bubble ul, .bubble ol {margin:.2rem 0 .4rem 1.3rem}
.bubble .notice {font-style:italic}
.bubble .warnings {color:#8a4b00}
.answer-tools {margin-top:.4rem}
.answer-tools button, .ask-chip, .example-chips button {border:1px solid var(--border-color-primary); border-radius:999px;
  padding:.25rem .75rem; background:var(--background-fill-primary); cursor:pointer; font-size:.9rem; margin:.15rem .25rem .15rem 0}
.ask-chip:hover, .example-chips button:hover {background:var(--color-accent-soft)}
a.cite {font-weight:600; text-decoration:none; padding:0 !important; margin:0 !important}
.sources {max-width:52rem}
.sources h4 {margin:.2rem 0; font-size:.95rem}
.sources ol {list-style:none; margin:0; padding:0}
.source {border-left:3px solid var(--color-accent); padding:.2rem .6rem; margin:.3rem 0}
.source summary {cursor:pointer; display:list-item}
#feedback {flex-wrap:wrap; gap:.4rem; align-items:center}
#feedback > * {flex:0 0 auto !important; width:auto !important; min-width:0 !important}
#feedback-question {padding:0 .3rem}
.source .source-label {font-weight:600}
.source .source-quote {display:block; color:var(--body-text-color-subdued)}
.source[open] .source-quote {display:none}
.source .context p {white-space:pre-wrap; margin:.3rem 0}
.source .context mark {background:#fff3b0; color:inherit}
.source .source-file {font-size:.85rem; color:var(--body-text-color-subdued)}
.nearby h4 {color:var(--body-text-color-subdued)}
.suggestions span {margin-right:.4rem}
#chat-message p {color:#a40000; margin:.2rem 0}
#composer {position:fixed; bottom:0; left:0; right:0; z-index:50; margin:0 !important; background:var(--background-fill-primary);
  padding:6px max(12px, calc((100vw - 1216px) / 2)) !important; border-top:1px solid var(--border-color-primary);
  box-shadow:0 -2px 6px rgba(0,0,0,.08)}
.muted {color:var(--body-text-color); opacity:.75}
table.cards {border-collapse:collapse; width:100%}
table.cards caption {text-align:left; font-weight:600; padding:.3rem 0}
table.cards th, table.cards td {border-bottom:1px solid var(--border-color-primary); padding:.3rem .5rem; text-align:left}
.chart figcaption {font-weight:600; margin-bottom:.4rem}
.chart .bar-row, .chart .axis-row {display:grid; grid-template-columns:minmax(6rem,14rem) 1fr 8rem; gap:.5rem; align-items:center; margin:.15rem 0}
.chart .bar-track {position:relative; height:1.1rem; border-left:2px solid var(--body-text-color)}
.chart .bar {position:absolute; left:0; top:0; bottom:0; background:var(--color-accent)}
.chart .bar-value {font-variant-numeric:tabular-nums; text-align:right}
.chart .axis {position:relative; height:1.3rem; border-top:1px solid var(--body-text-color)}
.chart .tick {position:absolute; top:.1rem; transform:translateX(-50%); font-size:.75rem; white-space:nowrap}
.chart .tick:first-child {transform:none}
.chart .tick:last-child {transform:translateX(-100%)}
.figure {white-space:nowrap}
.profile table.facts th {text-align:left; vertical-align:top; padding-right:1rem; white-space:nowrap}
.profile table.facts ul {margin:0; padding-left:1.1rem}
.glossary-index {line-height:1.8; margin-bottom:.5rem}
.glossary-index a {white-space:nowrap}
.glossary mark {background:#fff3b0; color:inherit}
.glossary dt {font-weight:700; margin-top:.8rem; scroll-margin-top:1rem}
.glossary dd {margin-left:1rem}
.glossary .passages li {margin:.2rem 0}
@media (max-width: 700px) {
  /* the question on a line of its own, the three buttons together on the next */
  #feedback {flex-wrap:wrap !important}
  #feedback-question {flex:1 0 100% !important}
  #feedback button {font-size:.8rem !important; padding:.2rem .5rem !important}
  #conversation .html-container, #examples .html-container, #header .html-container {padding-left:0 !important; padding-right:0 !important}
  #header h1 {font-size:1.05rem; line-height:1.25}
  #header .long-title {display:none}
  #header .short-title {display:inline}
  #header .stand {font-size:.75rem; line-height:1.2}
  #composer [data-testid=block-info] {position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0)}
  #composer button {min-height:2.6rem}
  .example-chips button {font-size:.8rem; padding:.15rem .6rem}
  #composer {padding:6px 8px !important}
  #composer textarea {max-height:5.5rem}
  .bubble {max-width:100%}
  table.cards thead {display:none}
  table.cards caption {display:block; width:100%}
  [role=tab] {padding-left:.55rem !important; padding-right:.55rem !important; min-width:0 !important}
  table.cards, table.cards tbody, table.cards tr, table.cards td {display:block; width:100%}
  table.cards tr {border:1px solid var(--border-color-primary); border-radius:8px; margin:.4rem 0; padding:.3rem .5rem}
  table.cards td {border:none; padding:.1rem 0; display:flex; gap:.5rem}
  table.cards td::before {content:attr(data-label); font-weight:600; min-width:8.5rem}
  /* the Steckbrief's facts as one card each: the label above, the value below at full width */
  .profile table.facts, .profile table.facts tbody, .profile table.facts tr, .profile table.facts th,
  .profile table.facts td {display:block; width:100%}
  .profile table.facts {border:none !important}
  .profile table.facts tr {border:1px solid var(--border-color-primary) !important; border-radius:8px; margin:.4rem 0; padding:.3rem .5rem}
  .profile table.facts th {white-space:normal; padding:0 !important; border:none !important}
  .profile table.facts td {padding:.1rem 0 0 !important; border:none !important}
  .chart .bar-row, .chart .axis-row {grid-template-columns:1fr 6.5rem; grid-template-areas:"label value" "track track"}
  .chart .bar-label {grid-area:label}
  .chart .bar-value {grid-area:value}
  .chart .bar-track, .chart .axis {grid-area:track}
  .chart .axis-row .bar-label, .chart .axis-row .bar-value {display:none}
  .chart .tick:nth-child(even) {display:none}
}
"""

# Delegated clicks inside answers: [n] opens source n, "Kopieren mit Quelle" copies, question chips ask.
# The page frame outside Gradio's content element is styled here, unscoped: room below for the pinned input.
SCRIPT = """
<style>
  footer {display:none !important}
  .main.app {padding-bottom:130px !important}
  @media (max-width: 700px) { .main.app {padding:4px 8px 150px !important} }
</style>
<script>
(function () {
  function ask(question) {
    var box = document.querySelector('#question textarea');
    if (!box) return;
    box.value = question;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    setTimeout(function () { document.querySelector('#ask').click(); }, 80);
  }
  function copy(text, button) {
    var done = function () { button.textContent = button.dataset.done || 'Kopiert'; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var area = document.createElement('textarea');
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand('copy'); } catch (e) {}
    area.remove();
  }
  document.addEventListener('click', function (event) {
    var cite = event.target.closest('a.cite');
    if (cite) {
      event.preventDefault();
      var source = document.getElementById(cite.dataset.target);
      if (source) {
        source.open = true;
        source.scrollIntoView({block: 'nearest', behavior: 'instant'});
        var summary = source.querySelector('summary'); if (summary) summary.focus({preventScroll: true});
      }
      return;
    }
    var button = event.target.closest('button.copy-with-source');
    if (button) { copy(button.dataset.copy, button); return; }
    var chip = event.target.closest('button.ask-chip');
    if (chip) { ask(chip.dataset.question); }
  });
})();
</script>
"""

# After an answer: bring the newest question to the top of the view, so its answer and first source show.
SHOW_LATEST = """() => {
  const turns = document.querySelectorAll('#conversation .turn');
  const last = turns[turns.length - 1];
  if (last) last.scrollIntoView({block: 'start', behavior: 'instant'});
}"""
