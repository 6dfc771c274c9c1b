// `rekindle validate`'s name checks: every variable, field and filter a
// template (partials resolved) or a subject line uses must be in the view its
// campaign's trigger provides (core/rendering/view-schema.ts), so a typo
// fails with file:line and a "did you mean" instead of rendering blank. A
// template shared by campaigns of several triggers is checked against each.
// Reports findings; never throws for a bad template or subject.
import type { CampaignCheck, Finding, LoadedCampaign } from '../../config/campaign-checks.ts';
import { stepSourcePath } from '../../core/campaigns/campaign.ts';
import { formatPath } from '../../core/campaigns/issues.ts';
import {
  emailViewShape,
  triggersProviding,
  type ViewPart,
  viewFieldsFor,
} from '../../core/rendering/view-schema.ts';
import { createLiquidEngines } from './liquid-engines.ts';
import { type NameContext, type NameProblem, unknownNames } from './liquid-names.ts';
import type { ResolvedSource, SourcePosition } from './partials.ts';

const engines = createLiquidEngines();

/** What a campaign's emails may name: its trigger's view; another trigger's part is named as such. */
export function campaignNames(loaded: LoadedCampaign): NameContext {
  const trigger = loaded.campaign.trigger.type;
  return {
    fields: viewFieldsFor(trigger),
    missing: (name) => {
      if (!Object.hasOwn(emailViewShape.fields, name)) return undefined;
      const providers = triggersProviding(name as ViewPart);
      return `'${name}' is always empty in ${loaded.id}'s emails: ${loaded.id} is a ${trigger} campaign, and only ${providers.join(' and ')} campaigns' emails have ${name}`;
    },
  };
}

/** Unknown names in a template for one campaign, blamed on the file (partial or not) and line that hold them. */
export function templateNameProblems(
  source: ResolvedSource,
  names: NameContext,
): (SourcePosition & NameProblem)[] {
  let parsed: ReturnType<typeof engines.html.parse>;
  try {
    parsed = engines.html.parse(source.text);
  } catch {
    return []; // a Liquid syntax error: compiling the template reports it
  }
  return unknownNames(parsed, names).map((problem) => ({
    ...problem,
    ...source.origin(problem.line, problem.column),
  }));
}

/** Every subject line names only what its trigger's view has. */
export const subjectNames: CampaignCheck = ({ campaigns }) => {
  const findings: Finding[] = [];
  for (const loaded of campaigns) {
    const names = campaignNames(loaded);
    for (const step of loaded.campaign.steps) {
      let parsed: ReturnType<typeof engines.text.parse>;
      try {
        parsed = engines.text.parse(step.email.subject);
      } catch {
        continue; // subjectsParse reports it
      }
      const path = [...stepSourcePath(loaded.campaign, step.index), 'email', 'subject'];
      const field = formatPath(path);
      for (const problem of unknownNames(parsed, names)) {
        findings.push({
          file: loaded.file,
          ...loaded.locate(path),
          field,
          message: `${field}: ${problem.message}`,
          severity: 'error',
        });
      }
    }
  }
  return findings;
};
