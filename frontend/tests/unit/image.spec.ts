// Resizing: the size arithmetic is pure; the browser parts (createImageBitmap, canvas) are faked
// to check that orientation is applied at decode, the drawing size, and the JPEG encoding.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { checkPhotoFile, fitWithin, MAX_INPUT_BYTES, PhotoError, resizePhoto } from '../../src/lib/image'

afterEach(() => vi.unstubAllGlobals())

describe('fitWithin', () => {
  it('caps the long edge of a landscape photo at 1600 px and keeps the aspect ratio', () => {
    expect(fitWithin({ width: 4032, height: 3024 })).toEqual({ width: 1600, height: 1200 })
  })
  it('caps a portrait photo on its height', () => {
    expect(fitWithin({ width: 3024, height: 4032 })).toEqual({ width: 1200, height: 1600 })
  })
  it('never upscales a small photo', () => {
    expect(fitWithin({ width: 300, height: 200 })).toEqual({ width: 300, height: 200 })
  })
  it('keeps at least one pixel for extreme panoramas', () => {
    expect(fitWithin({ width: 100000, height: 10 })).toEqual({ width: 1600, height: 1 })
  })
  it('rejects an empty image', () => {
    expect(() => fitWithin({ width: 0, height: 10 })).toThrow(PhotoError)
  })
})

describe('checkPhotoFile', () => {
  it('refuses files that are not images by type', () => {
    const error = (() => {
      try {
        checkPhotoFile(new File(['%PDF'], 'a.pdf', { type: 'application/pdf' }))
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(PhotoError)
    expect((error as PhotoError).kind).toBe('notAnImage')
  })
  it('refuses files too big to be a phone photo before decoding them', () => {
    const big = { size: MAX_INPUT_BYTES + 1, type: 'image/jpeg' } as Blob
    expect(() => checkPhotoFile(big)).toThrow(expect.objectContaining({ kind: 'tooLarge' }))
  })
  it('lets an untyped file through to decoding', () => {
    expect(() => checkPhotoFile(new File(['x'], 'photo'))).not.toThrow()
  })
})

describe('resizePhoto', () => {
  function fakeCanvas() {
    const context = { drawImage: vi.fn(), fillRect: vi.fn(), fillStyle: '', imageSmoothingEnabled: false, imageSmoothingQuality: 'low' }
    const canvas = {
      width: 0,
      height: 0,
      getContext: () => context,
      toBlob: vi.fn((callback: (blob: Blob) => void, type: string) => callback(new Blob(['jpeg'], { type }))),
    }
    return { canvas, context }
  }

  it('decodes with EXIF orientation applied, draws at the capped size and encodes JPEG', async () => {
    const bitmap = { width: 3024, height: 4032, close: vi.fn() }
    const createImageBitmap = vi.fn(async () => bitmap)
    vi.stubGlobal('createImageBitmap', createImageBitmap)
    const { canvas, context } = fakeCanvas()
    const realCreate = document.createElement.bind(document)
    vi.spyOn(document, 'createElement').mockImplementation((tag: string) =>
      tag === 'canvas' ? (canvas as unknown as HTMLCanvasElement) : realCreate(tag),
    )

    const file = new File(['raw'], 'IMG_1.jpg', { type: 'image/jpeg' })
    const result = await resizePhoto(file)

    expect(createImageBitmap).toHaveBeenCalledWith(file, { imageOrientation: 'from-image' })
    expect(context.drawImage).toHaveBeenCalledWith(bitmap, 0, 0, 1200, 1600)
    expect(canvas.toBlob).toHaveBeenCalledWith(expect.any(Function), 'image/jpeg', 0.85)
    expect(result).toMatchObject({ width: 1200, height: 1600 })
    expect(result.blob.type).toBe('image/jpeg')
    expect(bitmap.close).toHaveBeenCalled()
  })

  it('reports a file the browser cannot decode as not an image', async () => {
    vi.stubGlobal('createImageBitmap', vi.fn(async () => Promise.reject(new DOMException('bad', 'InvalidStateError'))))
    vi.spyOn(HTMLImageElement.prototype, 'decode').mockRejectedValue(new DOMException('bad', 'EncodingError'))
    await expect(resizePhoto(new File(['nope'], 'x.jpg', { type: 'image/jpeg' }))).rejects.toMatchObject({ kind: 'notAnImage' })
  })
})
