// SPDX-License-Identifier: GPL-2.0
/*
 * udmabuf: turn ranges of sealed shmem memfds into dma-bufs.
 *
 * Out-of-tree build of drivers/dma-buf/udmabuf.c (Linux 6.1) for kernels
 * built without CONFIG_UDMABUF, e.g. Debian 12. The user-space interface
 * (include/uapi/linux/udmabuf.h, /dev/udmabuf, module parameters) is the
 * mainline one bit for bit. Additions over 6.1, following later mainline:
 *  - vmap/vunmap, so shmem-helper KMS drivers (cirrus) can scan it out;
 *  - the fault handler inserts PFNs into a VM_PFNMAP mapping, so a mapping
 *    that outlives the memfd's owner does not hit "Bad page cache";
 *  - CPU access syncs a bidirectional scatter list, created under a lock;
 *  - stricter argument checks (flags, overflow, limits, EOF, seals).
 * Hugetlbfs memfds are refused: the symbols needed are not exported.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/init.h>
#include <linux/iosys-map.h>
#include <linux/kernel.h>
#include <linux/magic.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/overflow.h>
#include <linux/path.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/udmabuf.h>

static int list_limit = 1024;
module_param(list_limit, int, 0644);
MODULE_PARM_DESC(list_limit, "udmabuf_create_list->count limit. Default is 1024.");

static int size_limit_mb = 64;
module_param(size_limit_mb, int, 0644);
MODULE_PARM_DESC(size_limit_mb, "Max size of a dmabuf, in megabytes. Default is 64.");

struct udmabuf {
	pgoff_t pagecount;
	struct page **pages;
	struct miscdevice *device;
	/* protects sg, the scatter list used for CPU access syncs */
	struct mutex sg_lock;
	struct sg_table *sg;
};

static vm_fault_t udmabuf_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct udmabuf *ubuf = vma->vm_private_data;
	pgoff_t pgoff = vmf->pgoff;

	if (pgoff >= ubuf->pagecount)
		return VM_FAULT_SIGBUS;

	return vmf_insert_pfn(vma, vmf->address,
			      page_to_pfn(ubuf->pages[pgoff]));
}

static const struct vm_operations_struct udmabuf_vm_ops = {
	.fault = udmabuf_vm_fault,
};

static int mmap_udmabuf(struct dma_buf *buf, struct vm_area_struct *vma)
{
	struct udmabuf *ubuf = buf->priv;

	if ((vma->vm_flags & (VM_SHARED | VM_MAYSHARE)) == 0)
		return -EINVAL;

	vma->vm_ops = &udmabuf_vm_ops;
	vma->vm_private_data = ubuf;
#ifdef UDMABUF_HAVE_VM_FLAGS_SET
	/* vm_flags is read-only since 6.3: changes go through the vma lock */
	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
#else
	vma->vm_flags |= VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
#endif
	return 0;
}

static int vmap_udmabuf(struct dma_buf *buf, struct iosys_map *map)
{
	struct udmabuf *ubuf = buf->priv;
	void *vaddr;

	if (ubuf->pagecount > UINT_MAX)
		return -EINVAL;

	vaddr = vmap(ubuf->pages, ubuf->pagecount, VM_MAP, PAGE_KERNEL);
	if (!vaddr)
		return -ENOMEM;

	iosys_map_set_vaddr(map, vaddr);
	return 0;
}

static void vunmap_udmabuf(struct dma_buf *buf, struct iosys_map *map)
{
	vunmap(map->vaddr);
}

static struct sg_table *get_sg_table(struct device *dev, struct dma_buf *buf,
				     enum dma_data_direction direction)
{
	struct udmabuf *ubuf = buf->priv;
	struct sg_table *sg;
	int ret;

	sg = kzalloc(sizeof(*sg), GFP_KERNEL);
	if (!sg)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table_from_pages(sg, ubuf->pages, ubuf->pagecount,
					0, ubuf->pagecount << PAGE_SHIFT,
					GFP_KERNEL);
	if (ret < 0)
		goto err_alloc;

	ret = dma_map_sgtable(dev, sg, direction, 0);
	if (ret < 0)
		goto err_map;
	return sg;

err_map:
	sg_free_table(sg);
err_alloc:
	kfree(sg);
	return ERR_PTR(ret);
}

static void put_sg_table(struct device *dev, struct sg_table *sg,
			 enum dma_data_direction direction)
{
	dma_unmap_sgtable(dev, sg, direction, 0);
	sg_free_table(sg);
	kfree(sg);
}

static struct sg_table *map_udmabuf(struct dma_buf_attachment *at,
				    enum dma_data_direction direction)
{
	return get_sg_table(at->dev, at->dmabuf, direction);
}

static void unmap_udmabuf(struct dma_buf_attachment *at,
			  struct sg_table *sg,
			  enum dma_data_direction direction)
{
	put_sg_table(at->dev, sg, direction);
}

static void udmabuf_free(struct udmabuf *ubuf, pgoff_t pinned)
{
	while (pinned > 0)
		put_page(ubuf->pages[--pinned]);
	kvfree(ubuf->pages);
	mutex_destroy(&ubuf->sg_lock);
	kfree(ubuf);
}

static void release_udmabuf(struct dma_buf *buf)
{
	struct udmabuf *ubuf = buf->priv;
	struct device *dev = ubuf->device->this_device;

	if (ubuf->sg)
		put_sg_table(dev, ubuf->sg, DMA_BIDIRECTIONAL);

	udmabuf_free(ubuf, ubuf->pagecount);
}

static int begin_cpu_udmabuf(struct dma_buf *buf,
			     enum dma_data_direction direction)
{
	struct udmabuf *ubuf = buf->priv;
	struct device *dev = ubuf->device->this_device;
	struct sg_table *sg;
	int ret = 0;

	mutex_lock(&ubuf->sg_lock);
	if (!ubuf->sg) {
		/* mapping syncs for the device, as a begin must for the CPU */
		sg = get_sg_table(dev, buf, DMA_BIDIRECTIONAL);
		if (IS_ERR(sg))
			ret = PTR_ERR(sg);
		else
			ubuf->sg = sg;
	}
	if (!ret)
		dma_sync_sgtable_for_cpu(dev, ubuf->sg, direction);
	mutex_unlock(&ubuf->sg_lock);
	return ret;
}

static int end_cpu_udmabuf(struct dma_buf *buf,
			   enum dma_data_direction direction)
{
	struct udmabuf *ubuf = buf->priv;
	struct device *dev = ubuf->device->this_device;
	int ret = 0;

	mutex_lock(&ubuf->sg_lock);
	if (ubuf->sg)
		dma_sync_sgtable_for_device(dev, ubuf->sg, direction);
	else
		ret = -EINVAL;
	mutex_unlock(&ubuf->sg_lock);
	return ret;
}

static const struct dma_buf_ops udmabuf_ops = {
	.cache_sgt_mapping = true,
	.map_dma_buf	   = map_udmabuf,
	.unmap_dma_buf	   = unmap_udmabuf,
	.release	   = release_udmabuf,
	.mmap		   = mmap_udmabuf,
	.vmap		   = vmap_udmabuf,
	.vunmap		   = vunmap_udmabuf,
	.begin_cpu_access  = begin_cpu_udmabuf,
	.end_cpu_access    = end_cpu_udmabuf,
};

#define SEALS_WANTED (F_SEAL_SHRINK)
#define SEALS_DENIED (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)

/*
 * memfd_fcntl() is not exported, so the seals are read from the shmem
 * inode directly. Returns 0 or a negative errno as mainline would:
 * -EBADFD for a file that is not shmem, -EINVAL for wrong seals or a range
 * past the end of the file. Hugetlbfs memfds get -EINVAL (unsupported).
 */
static int udmabuf_check_memfd(struct file *memfd, u64 end)
{
	struct inode *inode = file_inode(memfd);
	unsigned int seals;

	if (inode->i_sb->s_magic == HUGETLBFS_MAGIC)
		return -EINVAL;
	if (!shmem_mapping(memfd->f_mapping))
		return -EBADFD;

	seals = READ_ONCE(SHMEM_I(inode)->seals);
	if ((seals & SEALS_WANTED) != SEALS_WANTED ||
	    (seals & SEALS_DENIED) != 0)
		return -EINVAL;

	/* F_SEAL_SHRINK keeps i_size from going below this from now on */
	if (end > i_size_read(inode))
		return -EINVAL;

	return 0;
}

static int udmabuf_pin_item(struct udmabuf *ubuf, pgoff_t *pinned,
			    const struct udmabuf_create_item *item)
{
	pgoff_t pgoff = item->offset >> PAGE_SHIFT;
	pgoff_t pgcnt = item->size >> PAGE_SHIFT;
	struct address_space *mapping;
	struct file *memfd;
	struct page *page;
	pgoff_t pgidx;
	int ret;

	memfd = fget(item->memfd);
	if (!memfd)
		return -EBADFD;

	ret = udmabuf_check_memfd(memfd, item->offset + item->size);
	if (ret)
		goto out;

	mapping = memfd->f_mapping;
	for (pgidx = 0; pgidx < pgcnt; pgidx++) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
		page = shmem_read_mapping_page(mapping, pgoff + pgidx);
		if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			goto out;
		}
		ubuf->pages[(*pinned)++] = page;
	}

out:
	fput(memfd);
	return ret;
}

/* Never hand a kernel-internal errno (512 and above) to user space. */
static long udmabuf_user_errno(long ret)
{
	if (ret >= -511 || ret < -MAX_ERRNO)
		return ret;
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
	    ret == -ERESTARTNOHAND)
		return signal_pending(current) ? ret : -EINTR;
	if (ret == -ENOTSUPP)
		return -EOPNOTSUPP;
	return -EINVAL;
}

static long udmabuf_create(struct miscdevice *device,
			   struct udmabuf_create_list *head,
			   struct udmabuf_create_item *list)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	int count_limit = READ_ONCE(list_limit);
	int mb_limit = READ_ONCE(size_limit_mb);
	pgoff_t pgcnt = 0, pinned = 0, pglimit;
	struct udmabuf *ubuf;
	struct dma_buf *buf;
	long ret;
	u64 end;
	u32 i;

	if (head->flags & ~UDMABUF_FLAGS_CLOEXEC)
		return -EINVAL;
	if (!head->count || count_limit <= 0 || head->count > count_limit)
		return -EINVAL;
	if (mb_limit <= 0)
		return -EINVAL;

	pglimit = ((u64)mb_limit * SZ_1M) >> PAGE_SHIFT;
	for (i = 0; i < head->count; i++) {
		if (!PAGE_ALIGNED(list[i].offset) ||
		    !PAGE_ALIGNED(list[i].size) || !list[i].size)
			return -EINVAL;
		if (check_add_overflow(list[i].offset, list[i].size, &end) ||
		    end > MAX_LFS_FILESIZE)
			return -EINVAL;
		if (check_add_overflow(pgcnt,
				       (pgoff_t)(list[i].size >> PAGE_SHIFT),
				       &pgcnt) ||
		    pgcnt > pglimit)
			return -EINVAL;
	}

	ubuf = kzalloc(sizeof(*ubuf), GFP_KERNEL);
	if (!ubuf)
		return -ENOMEM;
	mutex_init(&ubuf->sg_lock);
	ubuf->device = device;
	ubuf->pagecount = pgcnt;
	ubuf->pages = kvmalloc_array(pgcnt, sizeof(*ubuf->pages), GFP_KERNEL);
	if (!ubuf->pages) {
		ret = -ENOMEM;
		goto err;
	}

	for (i = 0; i < head->count; i++) {
		ret = udmabuf_pin_item(ubuf, &pinned, &list[i]);
		if (ret)
			goto err;
	}

	exp_info.ops  = &udmabuf_ops;
	exp_info.size = ubuf->pagecount << PAGE_SHIFT;
	exp_info.priv = ubuf;
	exp_info.flags = O_RDWR;

	buf = dma_buf_export(&exp_info);
	if (IS_ERR(buf)) {
		ret = PTR_ERR(buf);
		goto err;
	}

	/*
	 * From here the dma-buf owns ubuf: if dma_buf_fd() fails,
	 * dma_buf_put() frees both through release_udmabuf().
	 */
	ret = dma_buf_fd(buf, (head->flags & UDMABUF_FLAGS_CLOEXEC) ?
			 O_CLOEXEC : 0);
	if (ret < 0)
		dma_buf_put(buf);
	return ret;

err:
	udmabuf_free(ubuf, pinned);
	return ret;
}

static long udmabuf_ioctl_create(struct file *filp, unsigned long arg)
{
	struct udmabuf_create create;
	struct udmabuf_create_list head;
	struct udmabuf_create_item list;

	if (copy_from_user(&create, (void __user *)arg, sizeof(create)))
		return -EFAULT;

	head.flags  = create.flags;
	head.count  = 1;
	list.memfd  = create.memfd;
	list.__pad  = 0;
	list.offset = create.offset;
	list.size   = create.size;

	return udmabuf_create(filp->private_data, &head, &list);
}

static long udmabuf_ioctl_create_list(struct file *filp, unsigned long arg)
{
	int count_limit = READ_ONCE(list_limit);
	struct udmabuf_create_list head;
	struct udmabuf_create_item *list;
	long ret;

	if (copy_from_user(&head, (void __user *)arg, sizeof(head)))
		return -EFAULT;
	/* check the count before allocating anything */
	if (!head.count || count_limit <= 0 || head.count > count_limit)
		return -EINVAL;
	list = memdup_user((void __user *)(arg + sizeof(head)),
			   array_size(sizeof(*list), head.count));
	if (IS_ERR(list))
		return PTR_ERR(list);

	ret = udmabuf_create(filp->private_data, &head, list);
	kfree(list);
	return ret;
}

static long udmabuf_ioctl(struct file *filp, unsigned int ioctl,
			  unsigned long arg)
{
	long ret;

	switch (ioctl) {
	case UDMABUF_CREATE:
		ret = udmabuf_ioctl_create(filp, arg);
		break;
	case UDMABUF_CREATE_LIST:
		ret = udmabuf_ioctl_create_list(filp, arg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	return udmabuf_user_errno(ret);
}

static const struct file_operations udmabuf_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl = udmabuf_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl   = udmabuf_ioctl,
#endif
};

static struct miscdevice udmabuf_misc = {
	.minor          = MISC_DYNAMIC_MINOR,
	.name           = "udmabuf",
	.fops           = &udmabuf_fops,
};

/*
 * misc_register() would fail with -EEXIST too, but only after sysfs printed
 * a call trace about the duplicate name: look for the device first.
 */
static bool __init udmabuf_misc_exists(void)
{
	struct path path;

	if (kern_path("/sys/class/misc/udmabuf", 0, &path))
		return false;
	path_put(&path);
	return true;
}

static int __init udmabuf_dev_init(void)
{
	int ret;

	if (IS_ENABLED(CONFIG_UDMABUF)) {
		pr_err("/dev/udmabuf already provided by the kernel (CONFIG_UDMABUF); this module is not needed\n");
		return -EEXIST;
	}

	if (udmabuf_misc_exists()) {
		pr_err("/dev/udmabuf already provided by the kernel; this module is not needed\n");
		return -EEXIST;
	}

	ret = misc_register(&udmabuf_misc);
	if (ret == -EBUSY || ret == -EEXIST) {
		pr_err("/dev/udmabuf already provided by the kernel; this module is not needed\n");
		return ret;
	}
	if (ret < 0) {
		pr_err("could not register /dev/udmabuf: %d\n", ret);
		return ret;
	}

	ret = dma_coerce_mask_and_coherent(udmabuf_misc.this_device,
					   DMA_BIT_MASK(64));
	if (ret < 0) {
		pr_err("could not set up the DMA mask: %d\n", ret);
		misc_deregister(&udmabuf_misc);
		return ret;
	}

	return 0;
}

static void __exit udmabuf_dev_exit(void)
{
	misc_deregister(&udmabuf_misc);
}

module_init(udmabuf_dev_init)
module_exit(udmabuf_dev_exit)

MODULE_AUTHOR("Gerd Hoffmann <kraxel@redhat.com>");
MODULE_DESCRIPTION("udmabuf: dma-bufs from sealed shmem memfds (out-of-tree build)");
MODULE_LICENSE("GPL v2");
MODULE_IMPORT_NS(DMA_BUF);
