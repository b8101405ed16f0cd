import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, registryThresholds } from './config.ts';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.baseUrl).toBe('http://127.0.0.1:8080');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir.endsWith('yiyun-data')).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lets flags override the environment', () => {
    const config = loadConfig({ PORT: '9000', DATABASE_URL: 'postgres://x@h/db' }, { port: 9100 });
    expect(config.port).toBe(9100);
    expect(config.databaseUrl).toBe('postgres://x@h/db');
  });

  it('names the key of a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/port \(PORT\)/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});

describe('import origins', () => {
  it('parses a comma-separated allow-list into origins', () => {
    const config = loadConfig({
      YIYUN_IMPORT_ALLOWED_ORIGINS: 'https://his.example:8443/x, http://127.0.0.1:9000',
    });
    expect(config.importAllowedOrigins).toEqual(['https://his.example:8443', 'http://127.0.0.1:9000']);
    expect(loadConfig({}).importAllowedOrigins).toEqual([]);
    expect(() => loadConfig({ YIYUN_IMPORT_ALLOWED_ORIGINS: 'not a url' })).toThrow(
      /YIYUN_IMPORT_ALLOWED_ORIGINS/,
    );
  });
});

describe('demo region size', () => {
  it('defaults to 2000 residents, takes the environment, and lets a flag turn it off', () => {
    expect(loadConfig({}).demoResidents).toBe(2000);
    expect(loadConfig({ YIYUN_DEMO_RESIDENTS: '150' }).demoResidents).toBe(150);
    expect(loadConfig({ YIYUN_DEMO_RESIDENTS: '150' }, { demoResidents: 0 }).demoResidents).toBe(0);
  });

  it('refuses negative, fractional and non-numeric sizes, naming the variable', () => {
    for (const bad of ['-1', '1.5', 'abc'])
      expect(() => loadConfig({ YIYUN_DEMO_RESIDENTS: bad })).toThrow(
        /demoResidents \(YIYUN_DEMO_RESIDENTS\)/,
      );
  });
  it('takes the registry thresholds and refuses a review threshold above auto-link', () => {
    expect(registryThresholds(loadConfig({}))).toEqual({});
    expect(registryThresholds(loadConfig({ YIYUN_MPI_AUTO_LINK: '0.999', YIYUN_MPI_REVIEW: '0.5' }))).toEqual(
      {
        autoLink: 0.999,
        review: 0.5,
      },
    );
    expect(() => loadConfig({ YIYUN_MPI_AUTO_LINK: '0.5', YIYUN_MPI_REVIEW: '0.9' })).toThrow(
      /YIYUN_MPI_REVIEW/,
    );
    expect(() => loadConfig({ YIYUN_MPI_AUTO_LINK: '1.5' })).toThrow(/YIYUN_MPI_AUTO_LINK/);
  });
});

describe('imaging configuration', () => {
  it('defaults to DIMSE on 11112 as YIYUN, two encrypted copies, no peers', () => {
    const config = loadConfig({});
    expect(config.dicomPort).toBe(11112);
    expect(config.dicomAeTitle).toBe('YIYUN');
    expect(config.imageReplicas).toBe(2);
    expect(config.imageCipher).toBe('aes-256-gcm');
    expect(config.dicomPeers).toEqual([]);
  });

  it('parses known peers with their institution and rights', () => {
    const config = loadConfig({
      YIYUN_DICOM_PEERS: 'CT1@10.0.0.5:104=org-h1, VIEW@ws.h2:11113=org-h2:retrieve',
    });
    expect(config.dicomPeers).toEqual([
      {
        aeTitle: 'CT1',
        host: '10.0.0.5',
        port: 104,
        organization: 'org-h1',
        canStore: true,
        canRetrieve: true,
      },
      {
        aeTitle: 'VIEW',
        host: 'ws.h2',
        port: 11113,
        organization: 'org-h2',
        canStore: false,
        canRetrieve: true,
      },
    ]);
  });

  it('names the key of a bad peer, AE title or cipher', () => {
    expect(() => loadConfig({ YIYUN_DICOM_PEERS: 'CT1@host=org' })).toThrow(/YIYUN_DICOM_PEERS/);
    expect(() => loadConfig({ YIYUN_DICOM_AE_TITLE: 'A\\B' })).toThrow(/YIYUN_DICOM_AE_TITLE/);
    expect(() => loadConfig({ YIYUN_IMAGE_CIPHER: 'des' })).toThrow(/YIYUN_IMAGE_CIPHER/);
    expect(loadConfig({ YIYUN_DICOM_PORT: 'off' }).dicomPort).toBe('off');
  });
});
