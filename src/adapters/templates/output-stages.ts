// The two passes every filled email's output gets, each written twice: as a
// regex over the whole result (the oracle, and the path for templates the
// fast Liquid compiler does not take) and as an OutputStage fused into the
// compiled template (fast-liquid.ts), which works out what each literal needs
// once per template, so a recipient costs a few checks per Liquid output
// instead of a rescan of some 30 kB of HTML. Streamed and whole-string must
// give the same bytes; test/node/templates/output-stages.test.ts holds them to
// it on random input. Pure, Worker-safe.
import type { OutputStage } from './fast-liquid.ts';
import { tidyRuns } from './html-to-text.ts';

// ---- Outlook conditionals (HTML) ------------------------------------------

// MJML merges "<![endif]--> <!--[if mso | IE]>" runs as its last step. A
// Liquid tag between two conditionals hides the run from MJML at compile time;
// when the tag renders empty, merging after filling gives MJML's own output for
// the filled source (the compile-once equivalence test holds us to that).
const adjacentConditionals = /(<!\[endif]-->\s*?<!--\[if mso \| IE]>)/gm;
const anyAdjacentConditionals = /<!\[endif]-->\s*?<!--\[if mso \| IE]>/;
const liquidAfterConditional = /<!\[endif]-->\s*\{[{%]/;
const endif = '<![endif]-->';
const openIf = '<!--[if mso | IE]>';
const startsWithOpenIf = /^\s*<!--\[if mso \| IE]>/;
const blank = /^\s*$/;

/** Whether filling `html` can bring two conditionals together, so the merge must run per recipient. */
export const mayMergeConditionals = (html: string) => liquidAfterConditional.test(html);

/** The merge over a whole filled HTML: the oracle. */
export const mergeConditionals = (html: string) => html.replace(adjacentConditionals, '');

function endsWithPartOf(text: string, marker: string): boolean {
  for (let n = 1; n < marker.length; n++) if (text.endsWith(marker.slice(0, n))) return true;
  return false;
}

/**
 * Every "<![endif]-->" of the output merges with an "<!--[if mso | IE]>" that
 * follows after whitespace only, and with nothing else. Escaped outputs hold
 * no "<", so both markers sit whole in literals; a literal ending in
 * "<![endif]-->" and whitespace holds that tail back until the next piece that
 * is not whitespace shows whether it merges. Declines (null) what would break
 * that reasoning: `| raw`, a marker cut by Liquid, a literal that merges inside.
 */
export function conditionalMergeStage(): OutputStage {
  let pending: string | null = null;
  return {
    literal(text) {
      if (anyAdjacentConditionals.test(text)) return null;
      if (endsWithPartOf(text, endif) || endsWithPartOf(text, openIf)) return null;
      if (blank.test(text)) {
        return () => {
          if (pending === null) return text;
          pending += text;
          return '';
        };
      }
      const head = startsWithOpenIf.exec(text)?.[0].length ?? 0;
      const last = text.lastIndexOf(endif);
      const held = last !== -1 && blank.test(text.slice(last + endif.length));
      const cut = held ? last : text.length;
      const whole = text.slice(0, cut);
      const afterHead = text.slice(head, cut);
      const tail = held ? text.slice(cut) : null;
      return () => {
        let out = whole;
        if (pending !== null) out = head > 0 ? afterHead : pending + whole;
        pending = tail;
        return out;
      };
    },
    output(escaped) {
      if (!escaped) return null;
      return (text) => {
        if (pending === null) return text;
        if (blank.test(text)) {
          pending += text;
          return '';
        }
        const out = pending + text;
        pending = null;
        return out;
      };
    },
    begin() {
      pending = null;
    },
    finish(out) {
      return pending === null ? out : out + pending;
    },
  };
}

// ---- tidying the text part --------------------------------------------------

/**
 * tidyText (html-to-text.ts) streamed. Its regexes only ever rewrite a run of
 * spaces, tabs and newlines, and a run becomes "\n\n" with two or more
 * newlines, "\n" with one, " " with none; then the whole is trimmed. So each
 * piece is its leading run, a core tidied once, and its trailing run, and only
 * runs that meet across pieces are joined per recipient.
 */
interface Shape {
  /** Newlines in the leading run; -1 when the piece starts with anything else. */
  lead: number;
  core: string;
  /** Newlines in the trailing run; -1 when the piece ends with anything else. */
  trail: number;
}

const leadingRun = /^[ \t\n]*/;
const trailingRun = /[ \t\n]*$/;
const untidy = /\t|[ \n]{2}/;
const isRunChar = (c: number) => c === 32 || c === 9 || c === 10;
const runOf = (newlines: number) => (newlines === 0 ? ' ' : newlines === 1 ? '\n' : '\n\n');
const newlinesIn = (run: string) => run.split('\n').length - 1;

function shape(text: string): Shape {
  const lead = leadingRun.exec(text)![0];
  if (lead.length === text.length) return { lead: newlinesIn(lead), core: '', trail: -1 };
  const trail = trailingRun.exec(text)![0];
  const core = text.slice(lead.length, text.length - trail.length);
  return {
    lead: lead ? newlinesIn(lead) : -1,
    core: tidyRuns(core),
    trail: trail ? newlinesIn(trail) : -1,
  };
}

export function tidyTextStage(): OutputStage {
  /** Newlines in the run the output ends with so far, not yet written; -1 when there is none. */
  let pending = -1;
  function emit(piece: Shape): string {
    let run = pending;
    if (piece.lead >= 0) run = (run < 0 ? 0 : run) + piece.lead;
    if (piece.core === '') {
      pending = run;
      return '';
    }
    pending = piece.trail;
    return run < 0 ? piece.core : runOf(run) + piece.core;
  }
  return {
    literal(text) {
      const piece = shape(text);
      if (piece.core === '' || piece.lead >= 0) return () => emit(piece);
      // Most literals start with words: only a run held from before needs joining.
      const trail = piece.trail;
      const core = piece.core;
      return () => {
        const out = pending < 0 ? core : runOf(pending) + core;
        pending = trail;
        return out;
      };
    },
    output() {
      return (text) => {
        if (text === '') return '';
        const first = text.charCodeAt(0);
        const last = text.charCodeAt(text.length - 1);
        if (isRunChar(first) || isRunChar(last) || untidy.test(text)) return emit(shape(text));
        const out = pending < 0 ? text : runOf(pending) + text;
        pending = -1;
        return out;
      };
    },
    begin() {
      pending = -1;
    },
    finish(out) {
      // A run left pending is trailing whitespace, which the trim drops anyway.
      return out.trim();
    },
  };
}
