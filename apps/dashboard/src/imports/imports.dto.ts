import { ImportPhase, ImportStatus, type ImportView as ImportViewType } from '@runnerly/jobs';
import { z } from 'zod';

export const ImportAccepted = z.object({ id: z.uuid() });

export const ImportParams = z.object({ id: z.uuid() }).strict();

export const ImportView = z.object({
  id: z.string(),
  status: z.enum(ImportStatus),
  phase: z.enum(ImportPhase).nullable().describe('checking: nothing written yet; saving: runs and efforts written'),
  total: z.number().int().describe('runs in the archive'),
  done: z.number().int().describe('runs checked (phase checking) or saved (phase saving)'),
  failed: z.number().int().describe('runs whose activity file could not be read (imported without best efforts)'),
  added: z.number().int().describe('runs that were new'),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
}) satisfies z.ZodType<ImportViewType>;
