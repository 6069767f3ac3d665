// NetSuite's account ID as its OAuth realm and as its account-specific domain write it.
import { describe, expect, it } from 'vitest';
import { netsuiteHostAccount, netsuiteRealm } from '../../../../connectors/netsuite/dev/config.js';

describe('the realm', () => {
  it('writes the realm as NetSuite does: upper case, sandbox suffix after _; the host the other way round', () => {
    expect(netsuiteRealm('1234567')).toBe('1234567');
    expect(netsuiteRealm('1234567-sb1')).toBe('1234567_SB1');
    expect(netsuiteRealm('1234567_sb1')).toBe('1234567_SB1');
    expect(netsuiteRealm('tstdrv1234567')).toBe('TSTDRV1234567');
    expect(netsuiteHostAccount('1234567_SB1')).toBe('1234567-sb1');
  });
});
