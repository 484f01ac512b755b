import { describe, expect, it } from 'vitest';
import { AutoconfigParseError, parseAutoconfigXml } from '../../../electron/core/discovery/autoconfig-xml';

const wrap = (servers: string, extra = ''): string => `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.net">
    <domain>example.net</domain>
    <displayName>Example Mail</displayName>
    <incomingServer type="imap"><hostname>imap.example.net</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
    ${servers}
    ${extra}
  </emailProvider>
</clientConfig>`;

describe('config-v1.1.xml parser', () => {
  it('reads the outgoing server and fills the username placeholders for this address', () => {
    const file = parseAutoconfigXml(
      wrap(`<outgoingServer type="smtp"><hostname>smtp.%EMAILDOMAIN%</hostname><port>465</port><socketType>SSL</socketType>
        <authentication>password-cleartext</authentication><username>%EMAILLOCALPART%</username></outgoingServer>`),
      'ann.lee@example.net',
    );
    expect(file.displayName).toBe('Example Mail');
    expect(file.providerId).toBe('example.net');
    expect(file.outgoingServers).toEqual([
      {
        host: 'smtp.example.net',
        port: 465,
        security: 'tls',
        authMethod: 'password',
        oauth2Available: false,
        username: 'ann.lee',
      },
    ]);
  });

  it.each([
    ['SSL', 'tls'],
    ['STARTTLS', 'starttls'],
    ['plain', 'none'],
  ])('maps socketType %s to %s', (socketType, security) => {
    const file = parseAutoconfigXml(
      wrap(`<outgoingServer type="smtp"><hostname>smtp.example.net</hostname><port>587</port><socketType>${socketType}</socketType>
        <authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></outgoingServer>`),
      'a@example.net',
    );
    expect(file.outgoingServers[0]?.security).toBe(security);
    expect(file.outgoingServers[0]?.username).toBe('a@example.net');
  });

  it('keeps every outgoing server in the file’s order and notes OAuth2 support', () => {
    const file = parseAutoconfigXml(
      wrap(`
        <outgoingServer type="smtp"><hostname>smtp.example.net</hostname><port>587</port><socketType>STARTTLS</socketType>
          <authentication>OAuth2</authentication><authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></outgoingServer>
        <outgoingServer type="smtp"><hostname>smtp2.example.net</hostname><port>465</port><socketType>SSL</socketType>
          <authentication>OAuth2</authentication><username>%EMAILADDRESS%</username></outgoingServer>`),
      'b@example.net',
    );
    expect(file.outgoingServers.map((s) => [s.host, s.port, s.authMethod, s.oauth2Available])).toEqual([
      ['smtp.example.net', 587, 'password', true],
      ['smtp2.example.net', 465, 'oauth2', true],
    ]);
  });

  it('skips servers Mailroom cannot use and says why', () => {
    const file = parseAutoconfigXml(
      wrap(`
        <outgoingServer type="smtp"><hostname>smtp.example.net</hostname><port>587</port><socketType>WEIRD</socketType></outgoingServer>
        <outgoingServer type="smtp"><hostname>smtp.example.net</hostname><port>587</port><socketType>STARTTLS</socketType><authentication>GSSAPI</authentication></outgoingServer>
        <outgoingServer type="smtp"><hostname>smtp.example.net</hostname><port>99999</port><socketType>SSL</socketType></outgoingServer>`),
      'c@example.net',
    );
    expect(file.outgoingServers).toEqual([]);
    expect(file.skipped.join('\n')).toMatch(/unknown socketType "WEIRD"/);
    expect(file.skipped.join('\n')).toMatch(/GSSAPI/);
    expect(file.skipped.join('\n')).toMatch(/invalid port/);
  });

  it('takes the documentation link when it is https', () => {
    const file = parseAutoconfigXml(
      wrap(
        `<outgoingServer type="smtp"><hostname>smtp.example.net</hostname><port>465</port><socketType>SSL</socketType></outgoingServer>`,
        `<documentation url="http://insecure.example.net/help"><descr lang="en">Old</descr></documentation>
         <documentation url="https://help.example.net/mail"><descr lang="en">Setup</descr></documentation>`,
      ),
      'd@example.net',
    );
    expect(file.documentationUrl).toBe('https://help.example.net/mail');
    // No <authentication> or <username>: the format's defaults (password, full address).
    expect(file.outgoingServers[0]).toMatchObject({ authMethod: 'password', username: 'd@example.net' });
  });

  it('rejects malformed XML with the line of the problem', () => {
    expect(() => parseAutoconfigXml('<clientConfig><emailProvider></clientConfig>', 'e@example.net')).toThrow(
      AutoconfigParseError,
    );
    expect(() => parseAutoconfigXml('<clientConfig><emailProvider></clientConfig>', 'e@example.net')).toThrow(
      /not valid XML \(line 1/,
    );
  });

  it('rejects an HTML page served in place of the settings file', () => {
    expect(() => parseAutoconfigXml('<html><body><p>Welcome</p></body></html>', 'f@example.net')).toThrow(
      /not a mail settings file/,
    );
  });
});
