// The reference renderer: fill the MJML source with Liquid, then compile the
// filled MJML for this one recipient. Too slow to send with (MJML per
// message); it exists so a test can prove compile-once-fill-many produces the
// same HTML, and so the render benchmark has its baseline.
import mjml2html from 'mjml';
import type { EmailView, RenderedEmail } from '../../core/rendering/contract.ts';
import { mjmlOptions } from './compile-mjml.ts';
import { cleanSubject } from './fill-template.ts';
import { htmlToText } from './html-to-text.ts';
import { createLiquidEngines, type LiquidEngines } from './liquid-engines.ts';

export async function renderNaively(
  mjmlSource: string,
  subject: string,
  view: EmailView,
  engines: LiquidEngines = createLiquidEngines(),
): Promise<RenderedEmail> {
  const filled = engines.html.parseAndRenderSync(mjmlSource, view);
  const { html } = await mjml2html(filled, mjmlOptions);
  return {
    subject: cleanSubject(engines.text.parseAndRenderSync(subject, view)),
    html,
    text: htmlToText(html),
  };
}
