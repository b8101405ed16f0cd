import { asQueryable, type Database } from '@yiyun/store';
import type { UpsertCompanion } from '../index/upsert.ts';
import type { ImageStore, WriteReceipt } from '../storage/port.ts';
import type { StagedObject } from '../storage/staging.ts';

/** An image store that can leave its catalog row to the index statement (`ManagedImageStore`). */
export type StagingImageStore = ImageStore & {
  stage?(key: string, body: Uint8Array, meta: { study: string }): Promise<StagedObject>;
};

/** The image of one store call, written durably, whose record commits with the index rows (or not). */
export interface StagedImage {
  readonly receipt: WriteReceipt;
  /** The image catalog's row, for the index statement (absent: the store recorded it itself). */
  readonly companion?: UpsertCompanion;
  /** The index statement committed; `returned` is what the companion gave back. */
  recorded(returned: unknown): void;
  /** The instance was not indexed (refused, a duplicate, failed): nothing may point at the image. */
  discard(): Promise<void>;
}

export interface StageInput {
  readonly key: string;
  readonly body: Uint8Array;
  readonly study: string;
  readonly sopUid: string;
}

/**
 * Writes the image. A staging store's catalog row goes into the index statement (one commit for
 * both, and no window in which the catalog lists an object the index does not); another store
 * records it itself and an unindexed image is removed unless an index row points at it (another
 * replica may have indexed the same bytes under the same key).
 */
export async function stageImage(
  sql: Database['sql'],
  images: StagingImageStore,
  input: StageInput,
): Promise<StagedImage> {
  const meta = { study: input.study };
  if (images.stage) {
    const staged = await images.stage(input.key, input.body, meta);
    return {
      receipt: staged.receipt,
      companion: staged.companion,
      recorded: (returned) => staged.recorded(returned),
      discard: async () => staged.discard(),
    };
  }
  const receipt = await images.write(input.key, input.body, meta);
  return {
    receipt,
    recorded: () => {},
    async discard() {
      const used = await asQueryable(sql).unsafe<{ one: number }[]>(
        'select 1 as one from imaging_instance where sop_uid = $1::text and blob_key = $2::text',
        [input.sopUid, input.key],
      );
      if (used.length === 0) await images.remove(input.key);
    },
  };
}
