import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EXPORT_FORMATS, EXPORT_FORMAT_NAMES, ExportOptionsError, exportFilename, exportFormatInfo, exportPath, isExportFormat, type ExportFormat } from '@learnpath/lms';
import { SlugSchema } from '@learnpath/schema';
import { CachedBody, sendCached, type SendOptions } from '../http/cached-body.js';
import { viewOf } from '../catalog/view.js';
import { acceptsMediaType } from '../http/negotiate.js';
import { createProblem, ProblemError, sendProblem } from '../http/problem.js';
import { requirePath } from './paths.js';
import { notModifiedResponse, problemResponses, type RestRouteOptions } from './shared.js';

/** Options of the export routes. */
export interface ExportRouteOptions extends RestRouteOptions {
  /**
   * The base URL written into exports (cmi5 launch URLs, links to resource pages): the public
   * base URL when configured, else the address the server listens at. Never taken from a
   * request, whose Host header any client can forge.
   */
  baseUrl: () => string;
}

const FORMAT_LIST = EXPORT_FORMAT_NAMES.join(', ');

const ExportParamsSchema = z.strictObject({
  slug: SlugSchema.describe('Slug of the learning path.'),
  // A plain string, not an enum: an unknown format is a 404 that lists the formats, not a 400.
  format: z.string().max(100).describe(`The export format: ${FORMAT_LIST}.`),
});

/** Sends a binary export: no content coding (zips are already compressed), same caching rules as `sendCached`. */
function sendBinary(request: FastifyRequest, reply: FastifyReply, body: CachedBody, send: SendOptions): FastifyReply {
  if (!acceptsMediaType(request.headers.accept, body.mediaType)) {
    throw new ProblemError(406, `This resource is available as ${body.mediaType} only.`);
  }
  reply.header('cache-control', send.cacheControl).header('etag', body.etag);
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && (ifNoneMatch.includes(body.hash) || ifNoneMatch.trim() === '*')) return reply.code(304).send();
  return reply.header('content-type', body.contentType).send(body.body);
}

/** `GET /paths/{slug}/export/{format}`: the path as a file for an LMS (Common Cartridge, cmi5, JSON-LD, Markdown). */
export const exportRoutes: FastifyPluginAsyncZod<ExportRouteOptions> = async (app, { store, send, baseUrl }) => {
  app.get(
    '/paths/:slug/export/:format',
    {
      compress: false,
      schema: {
        operationId: 'exportPath',
        tags: ['exports'],
        summary: 'Export a learning path for an LMS',
        description:
          'The path as a file to download (`Content-Disposition: attachment`): `imscc` is an IMS Common Cartridge 1.3 zip for ' +
          'Canvas (with Canvas module settings), `imscc-1.1` a Common Cartridge 1.1 zip for Moodle and Blackboard, `imscc-lti` a ' +
          'Common Cartridge 1.3 of LTI 1.3 links that launch the path through this service\'s LTI tool, `cmi5` a cmi5 ' +
          'course structure (cmi5.xml) whose AUs launch the resources, `jsonld` a schema.org Course and `markdown` the learning path ' +
          'document. The same content gives the same bytes, so the strong ETag only changes when the path does; an LMS re-importing ' +
          'the file updates the items it created before.',
        params: ExportParamsSchema,
        response: {
          200: {
            description: 'The exported file.',
            content: Object.fromEntries(
              // Formats that share a media type (the two CC 1.3 cartridges) share one entry that names both.
              [...new Set(EXPORT_FORMATS.map((f) => f.contentType.split(';', 1)[0]!))].map((type) => {
                const formats = EXPORT_FORMATS.filter((f) => f.contentType.split(';', 1)[0] === type);
                const label = formats.map((f) => f.label).join(' or ');
                return [type, { schema: formats[0]!.binary ? z.string().describe(`${label}: a zip archive (binary).`) : z.string().describe(label) }];
              }),
            ),
          },
          ...notModifiedResponse,
          ...problemResponses(400, 404, 406, 429),
        },
      },
    },
    async (request, reply) => {
      const view = viewOf(store.catalog);
      const { slug, format } = request.params;
      const path = requirePath(view, slug);
      if (!isExportFormat(format)) {
        const problem = createProblem(request, 404, `There is no export format "${format}". Formats: ${FORMAT_LIST}.`, {
          type: 'urn:learnpath:problem:unknown-export-format',
        });
        return sendProblem(reply, Object.assign(problem, { formats: [...EXPORT_FORMAT_NAMES] }));
      }
      const base = baseUrl();
      const body = view.responses.get(`export/${format}/${slug}/${base}`, () => buildBody(path, format, base));
      reply.header('content-disposition', `attachment; filename="${exportFilename(slug, format)}"`);
      return exportFormatInfo(format).binary ? sendBinary(request, reply, body, send) : sendCached(request, reply, body, send);
    },
  );
};

function buildBody(path: Parameters<typeof exportPath>[0], format: ExportFormat, baseUrl: string): CachedBody {
  try {
    const file = exportPath(path, format, { baseUrl });
    return new CachedBody(typeof file.body === 'string' ? file.body : Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength), file.contentType);
  } catch (error) {
    // The base URL is checked at start-up; an unusable one given to buildApp is a bad request to export at all.
    if (error instanceof ExportOptionsError) throw new ProblemError(400, `Cannot export with this service's base URL: ${error.message}`);
    throw error;
  }
}
