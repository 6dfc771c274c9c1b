// `rekindle validate`'s template checks: every template a campaign names
// compiles (MJML and Liquid, errors with file and line), names only what its
// campaign's trigger provides (name-checks.ts), carries the footer
// partial with the unsubscribe link and the postal address (all shipped
// campaigns are marketing mail), has alt text on its images, links only to
// safe (http(s)) links or fragments, and renders a sample under Gmail's
// clipping size. Reports findings; never throws for a
// bad template and never writes.
import { join } from 'node:path';
import type { CampaignCheck, Finding } from '../../config/campaign-checks.ts';
import { sampleView } from '../../core/rendering/sample-view.ts';
import { couldStartSafeLink, hrefTarget, safeLinkRule } from '../../core/safe-link.ts';
import { createTemplateFiller } from './fill-template.ts';
import { createMjmlRenderer } from './mjml-renderer.ts';
import { campaignNames, templateNameProblems } from './name-checks.ts';
import { partialPath, type ResolvedSource, type SourcePosition } from './partials.ts';
import { folderReader, isTemplateName } from './template-files.ts';

/** Gmail clips an HTML body over 102 KB; warn with a little room to spare. */
export const clipWarningBytes = 100 * 1024;

const unsubscribeOutput = /\{\{-?\s*links\.unsubscribe\s*-?\}\}/;
const postalAddressOutput = /\{\{-?\s*shop\.postal_address\b[^}]*\}\}/;

/** Image tags (MJML or HTML) without an alt attribute, by file and line. */
export function imagesWithoutAlt(source: ResolvedSource): SourcePosition[] {
  const found: SourcePosition[] = [];
  const lines = source.text.split('\n');
  lines.forEach((line, index) => {
    for (const tag of line.matchAll(/<(mj-image|img)\b[^>]*>/gi)) {
      // An mj-image without src is a default in <mj-attributes>, not an image.
      if (/\ssrc\s*=/i.test(tag[0]) && !/\salt\s*=/i.test(tag[0])) found.push(source.origin(index + 1));
    }
  });
  return found;
}

// A link-bearing attribute with a quoted value; Liquid inside may hold the other quote.
const linkAttribute = /\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

/**
 * href and src values that can never be a safe link, by file and line: a
 * literal like `javascript:...` or `mailto:...`, or literal text before a
 * Liquid tag that already rules one out (`javascript:{{ x }}`). A value made by
 * Liquid alone is the renderer's to check, with the same rule.
 */
export function unsafeLinks(
  source: ResolvedSource,
): (SourcePosition & { attribute: string; value: string })[] {
  const found: (SourcePosition & { attribute: string; value: string })[] = [];
  for (const match of source.text.matchAll(linkAttribute)) {
    const attribute = match[1]!.toLowerCase();
    const value = match[2] ?? match[3] ?? '';
    const liquid = value.search(/\{[{%]/);
    const unsafe =
      liquid === -1 ? hrefTarget(value).kind === 'unsafe' : !couldStartSafeLink(value.slice(0, liquid));
    if (!unsafe) continue;
    const line = source.text.slice(0, match.index).split('\n').length;
    found.push({ ...source.origin(line), attribute, value });
  }
  return found;
}

export const templateChecks: CampaignCheck = async ({ campaigns, settings, emailsDir }) => {
  const renderer = createMjmlRenderer({ reader: folderReader(emailsDir) });
  const filler = createTemplateFiller();
  const findings: Finding[] = [];
  // A place in a partial shared by several templates is one finding, failing every campaign that uses it.
  const byPlace = new Map<string, Finding>();
  const report = (
    severity: Finding['severity'],
    position: SourcePosition,
    message: string,
    failing: readonly string[],
    options: { column?: number; place?: string } = {},
  ) => {
    const earlier = options.place === undefined ? undefined : byPlace.get(options.place);
    if (earlier) {
      earlier.campaigns = [...new Set([...(earlier.campaigns ?? []), ...failing])];
      return;
    }
    const finding: Finding = {
      file: join(emailsDir, position.file),
      line: position.line,
      column: options.column ?? 1,
      field: '',
      message,
      severity,
      ...(severity === 'error' ? { campaigns: [...failing] } : {}),
    };
    if (options.place !== undefined) byPlace.set(options.place, finding);
    findings.push(finding);
  };
  const usersOf = (template: string, trigger?: string) =>
    campaigns
      .filter(
        (c) =>
          (trigger === undefined || c.campaign.trigger.type === trigger) &&
          c.campaign.steps.some((step) => step.email.template === template),
      )
      .map((c) => c.id);

  const checked = new Set<string>();
  const namesChecked = new Set<string>();
  for (const loaded of campaigns) {
    for (const step of loaded.campaign.steps) {
      const name = step.email.template;
      // A missing file is templatesExist's finding; a bad name cannot be a file.
      if (!isTemplateName(name) || (await folderReader(emailsDir).read(name)) === null) continue;
      const outcome = await renderer.compile(name);
      const trigger = loaded.campaign.trigger.type;
      if (outcome.source && !namesChecked.has(`${name} ${trigger}`)) {
        namesChecked.add(`${name} ${trigger}`);
        const failing = usersOf(name, trigger);
        for (const problem of templateNameProblems(outcome.source, campaignNames(loaded))) {
          const place = `name ${problem.file}:${problem.line}:${problem.column}`;
          report('error', problem, problem.message, failing, { column: problem.column, place });
        }
      }
      if (!checked.has(name)) {
        checked.add(name);
        const failing = usersOf(name);
        const error = (
          position: SourcePosition,
          message: string,
          options?: { column?: number; place?: string },
        ) => report('error', position, message, failing, options);
        for (const problem of outcome.ok ? [] : outcome.problems) {
          const place = `compile ${problem.file}:${problem.line}:${problem.column}:${problem.message}`;
          error(problem, problem.message, { column: problem.column, place });
        }
        const source = outcome.source;
        if (source) {
          const top = { file: name, line: 1 };
          if (!source.partials.includes('footer')) {
            error(
              top,
              `${name} does not include the footer partial ({% render 'footer' %}); marketing email must carry the unsubscribe link and the shop's postal address`,
            );
          }
          const footer = source.partials.includes('footer') ? { file: partialPath('footer'), line: 1 } : top;
          if (!unsubscribeOutput.test(source.text)) {
            error(
              footer,
              `${name} has no unsubscribe link: add <a href="{{ links.unsubscribe }}">Unsubscribe</a>`,
            );
          }
          if (!postalAddressOutput.test(source.text)) {
            error(footer, `${name} does not show the shop's postal address: add {{ shop.postal_address }}`);
          }
          for (const link of unsafeLinks(source)) {
            const shown = link.value.length > 60 ? `${link.value.slice(0, 57)}...` : link.value;
            error(
              link,
              `${link.attribute}="${shown}" is not a safe link: links in emails must be ${safeLinkRule} (or a #fragment); no javascript:, data:, mailto: or relative links`,
              { place: `link ${link.file}:${link.line}:${link.value}` },
            );
          }
          for (const position of imagesWithoutAlt(source)) {
            report(
              'warning',
              position,
              'image without alt text: add alt="..." (read aloud, and shown when images are blocked)',
              [],
              { place: `alt ${position.file}:${position.line}` },
            );
          }
        }
      }
      if (!outcome.ok || !settings) continue;
      let html: string;
      try {
        html = filler.fill(
          outcome.template,
          // Subjects are subjectsParse's to check; the size is the HTML's.
          '',
          sampleView(loaded.campaign, settings, { step: step.index }),
        ).html;
      } catch (cause) {
        report(
          'error',
          { file: name, line: 1 },
          `${name} fails to render a sample for ${loaded.id}: ${String(cause)}`,
          [loaded.id],
        );
        continue;
      }
      const bytes = new TextEncoder().encode(html).length;
      if (bytes > clipWarningBytes) {
        report(
          'warning',
          { file: name, line: 1 },
          `${name} renders to ${(bytes / 1024).toFixed(0)} KB of HTML for a sample ${loaded.id} email; Gmail clips messages over 102 KB, hiding the footer and its unsubscribe link`,
          [],
        );
      }
    }
  }
  return findings;
};
