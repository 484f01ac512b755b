import { parseAutoconfigTemplate, type AutoconfigTemplate } from '../autoconfig-xml';

/** The built-in copy of Thunderbird's ISP database: what discovery looks up offline. */
export interface IspdbSnapshot {
  /** Where the data comes from (the snapshot README's source line), for the About box and tests. */
  source: string;
  providers: IspdbProvider[];
}

export type IspdbProvider = Omit<AutoconfigTemplate, 'skipped'> & {
  providerId: string;
  /** Servers the file lists that Mailroom cannot use, and why. */
  skipped?: string[];
};

/** The first line of the data README that names the source commit. */
function sourceLine(readme: string): string {
  const line = readme.split('\n').find((l) => /commit [0-9a-f]{7,}/.test(l));
  const commit = line?.match(/commit ([0-9a-f]{7,40})/)?.[1];
  return commit
    ? `Thunderbird ISPDB (thunderbird/autoconfig, ispdb/) at commit ${commit}`
    : 'Thunderbird ISPDB';
}

/** Each file becomes one provider; a file that cannot be read fails the build, naming the file. */
export function buildIspdbSnapshot(files: { name: string; xml: string }[], readme: string): IspdbSnapshot {
  const providers = files.map(({ name, xml }) => {
    let template: AutoconfigTemplate;
    try {
      template = parseAutoconfigTemplate(xml);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`);
    }
    const { skipped, ...rest } = template;
    return {
      ...rest,
      providerId: template.providerId ?? name.replace(/\.xml$/, ''),
      ...(skipped.length ? { skipped } : {}),
    };
  });
  return { source: sourceLine(readme), providers };
}
