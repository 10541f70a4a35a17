/**
 * The dashboard form's fields for the keys beyond the paper: one per key,
 * the lists typed as numbers separated by commas or spaces, and a bad entry
 * refused with the key named (the form shows the message next to the field).
 */

import { describe, expect, it } from 'vitest';
import { checkConfig, formToInput, inputToForm } from '../../src/dashboard/config-check.js';
import { FIELD_SPECS } from '../../src/dashboard/field-specs.js';
import { EXTENDED_KEYS } from '../../src/model/config.js';

describe('form fields beyond the paper', () => {
  it('has a field for every key beyond the paper, none with "undefined" as its placeholder', () => {
    for (const key of EXTENDED_KEYS) {
      const spec = FIELD_SPECS.find((s) => s.key === key);
      expect(spec, key).toBeDefined();
      expect(spec!.placeholder, key).toBeDefined();
    }
  });

  it('reads a list field as numbers and writes a list back as text', () => {
    const input = formToInput({ L: '3', JsdSites: ' 0.3, 0.1  -0.2 ', JexBonds: '0.2,0.4', anisotropy: '0.05' });
    expect(input).toEqual({ L: 3, JsdSites: [0.3, 0.1, -0.2], JexBonds: [0.2, 0.4], anisotropy: 0.05 });
    expect(inputToForm(input)).toEqual({ L: '3', JsdSites: '0.3, 0.1, -0.2', JexBonds: '0.2, 0.4', anisotropy: '0.05' });
    expect(checkConfig(input).errors).toEqual({});
  });

  it('reads the entanglement flag as a boolean', () => {
    expect(formToInput({ entanglement: 'true' })).toEqual({ entanglement: true });
    expect(inputToForm({ entanglement: true })).toEqual({ entanglement: 'true' });
    expect(checkConfig(formToInput({ entanglement: 'false' })).errors).toEqual({});
  });

  it('names the list key when an entry is not a number or the length does not match L', () => {
    expect(checkConfig(formToInput({ L: '3', JsdSites: '0.3, x, 0.1' })).errors.JsdSites).toMatch(/entry 1 = "x"/);
    expect(checkConfig(formToInput({ L: '3', JexBonds: '0.3' })).errors.JexBonds).toMatch(/a list of 2 numbers/);
  });
});
