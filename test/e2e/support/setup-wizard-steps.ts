import type { Page } from 'playwright-core';

export interface ManualAccount {
  name: string;
  email: string;
  password: string;
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
}

/**
 * What a user does to add an account by hand in the setup wizard: their details, "Enter server
 * settings manually", the server fields, "Check settings". Resolves when the check has finished
 * (passed or failed); the caller decides what to assert and whether to save.
 */
export async function enterAccountManually(page: Page, account: ManualAccount): Promise<'passed' | 'failed'> {
  await page.getByRole('heading', { name: 'Set up an outgoing account' }).waitFor();
  await page.getByLabel('Your name').fill(account.name);
  await page.getByLabel('Email address').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Enter server settings manually' }).click();
  await page.getByLabel('Server', { exact: true }).fill(account.host);
  await page.getByLabel('Security').selectOption(account.security);
  await page.getByLabel('Port').fill(String(account.port));
  await page.getByRole('button', { name: 'Check settings' }).click();
  const passed = page.getByText('Everything checks out.');
  const failed = page.getByRole('alert').filter({ hasText: 'These settings did not work' });
  await passed.or(failed).first().waitFor({ timeout: 30_000 });
  return (await passed.count()) > 0 ? 'passed' : 'failed';
}
