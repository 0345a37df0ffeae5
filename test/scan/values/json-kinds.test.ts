import { describe, expect, it } from 'vitest';
import { jsonKinds, keyStep } from '../../../src/scan/values/json-kinds.js';
import { parseJsonPath } from '../../../src/transformers/codecs/json-tree.js';

describe('jsonKinds', () => {
  it('gives each leaf path with the kinds of its values, arrays collapsed to [*]', () => {
    const doc = {
      contact: { email: 'anna@example.se', 'first name': 'Anna' },
      contacts: [{ phone: '070-123 45 67' }, { phone: '08-123 456 78' }, { phone: 'okänt' }],
      note: 'Ring Karin Svensson imorgon om fakturan',
      comment: 'Inget att anmärka på här',
      pnr: 198112189876,
      active: true,
      nothing: null,
    };
    expect(Object.fromEntries(jsonKinds(JSON.stringify(doc)))).toEqual({
      '$.contact.email': ['email'],
      '$.contact["first name"]': ['first_name'],
      '$.contacts[*].phone': ['phone'],
      '$.note': ['free_text'],
      '$.comment': [],
      '$.pnr': ['personnummer'],
    });
  });

  it('gives the root of a document that is an array or a single value', () => {
    expect(Object.fromEntries(jsonKinds('["anna@example.se", "070-123 45 67"]'))).toEqual({ '$[*]': ['email', 'phone'] });
    expect(Object.fromEntries(jsonKinds('"811218-9876"'))).toEqual({ $: ['personnummer'] });
    expect(Object.fromEntries(jsonKinds('[[{"ip": "10.0.0.1"}]]'))).toEqual({ '$[*][*].ip': ['ip'] });
  });

  it('is empty for text that is not JSON', () => {
    expect(jsonKinds('{"email": ').size).toBe(0);
    expect(jsonKinds('anna@example.se').size).toBe(0);
  });

  it('writes keys as the json transformer reads them', () => {
    for (const key of ['email', 'first name', 'e-post', 'a"b', 'back\\slash', '*', '0', 'ålder', "it's"]) {
      expect(parseJsonPath(`$${keyStep(key)}`)).toEqual([{ key }]);
    }
    expect(keyStep('email')).toBe('.email');
    expect(keyStep('first name')).toBe('["first name"]');
  });
});
