// SPDX-License-Identifier: GPL-2.0
/*
 * phy-sim board driver.
 *
 * phy-sim is a simulated board (vfio-user PCI device 1234:5048) carrying
 * MDIO buses, GPIO banks and MAC ports. This driver is generic: it reads a
 * device-tree overlay from the device, applies it onto a node of its own and
 * registers the controllers that overlay describes, so that the unmodified
 * upstream PHY, phylink and SFP code binds to the simulated hardware. The
 * register ABI is documented in sim/ABI.md of the phy-sim project.
 *
 * The device runs on the guest's clock: the driver writes CLOCK before every
 * access that can observe or change model state, and keeps one hrtimer armed
 * at the next deadline the device reports in SYNC.
 */

#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/gpio/driver.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/of.h>
#include <linux/of_mdio.h>
#include <linux/of_net.h>
#include <linux/pci.h>
#include <linux/phy.h>
#include <linux/phylink.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/unaligned.h>

#define PHY_SIM_DRV_NAME		"phy-sim"
#define PHY_SIM_BOARD_COMPATIBLE	"phy-sim,board"

#define PCI_VENDOR_ID_PHY_SIM		0x1234
#define PCI_DEVICE_ID_PHY_SIM		0x5048

/* Global block */
#define PHY_SIM_MAGIC			0x000
#define PHY_SIM_MAGIC_VALUE		0x73796870
#define PHY_SIM_VERSION			0x004
#define PHY_SIM_VERSION_MAJOR		GENMASK(31, 16)
#define PHY_SIM_VERSION_MINOR		GENMASK(15, 0)
#define PHY_SIM_ABI_MAJOR		1
#define PHY_SIM_CAPS			0x008
#define PHY_SIM_COUNTS			0x00c
#define PHY_SIM_COUNTS_MDIO		GENMASK(7, 0)
#define PHY_SIM_COUNTS_GPIO		GENMASK(15, 8)
#define PHY_SIM_COUNTS_PORTS		GENMASK(23, 16)
#define PHY_SIM_CTRL			0x010
#define PHY_SIM_CTRL_TIMELINE_START	BIT(1)
#define PHY_SIM_IRQ_STATUS		0x014
#define PHY_SIM_IRQ_ENABLE		0x018
#define PHY_SIM_IRQ_DEADLINE_CHANGED	BIT(0)
#define PHY_SIM_IRQ_BANK(n)		BIT(8 + (n))
#define PHY_SIM_CLOCK			0x020
#define PHY_SIM_SYNC			0x028
#define PHY_SIM_SYNC_PENDING		BIT_ULL(63)
#define PHY_SIM_SYNC_DEADLINE		GENMASK_ULL(62, 0)
#define PHY_SIM_SYNC_NO_DEADLINE	PHY_SIM_SYNC_DEADLINE
#define PHY_SIM_TIMELINE_ORIGIN		0x030
#define PHY_SIM_FDT_SIZE		0x038
#define PHY_SIM_FDT_OFFSET		0x03c
#define PHY_SIM_FDT_HEADER_SIZE		40

/* MDIO bus n */
#define PHY_SIM_MDIO(n)			(0x1000 + 0x100 * (n))
#define PHY_SIM_MDIO_CMD		0x00
#define PHY_SIM_MDIO_CMD_ADDR		GENMASK(4, 0)
#define PHY_SIM_MDIO_CMD_REG		GENMASK(9, 5)
#define PHY_SIM_MDIO_CMD_OP		GENMASK(11, 10)
#define PHY_SIM_MDIO_CMD_DATA		GENMASK(31, 16)
#define PHY_SIM_MDIO_OP_C22_READ	0
#define PHY_SIM_MDIO_OP_C22_WRITE	1
#define PHY_SIM_MDIO_OP_C45_READ	2
#define PHY_SIM_MDIO_OP_C45_WRITE	3
#define PHY_SIM_MDIO_C45_REG		0x04
#define PHY_SIM_MDIO_RESULT		0x08
#define PHY_SIM_MDIO_RESULT_DATA	GENMASK(15, 0)
#define PHY_SIM_MDIO_RESULT_SYNC_NEEDED	BIT(30)

/* GPIO bank n */
#define PHY_SIM_GPIO(n)			(0x2000 + 0x100 * (n))
#define PHY_SIM_GPIO_NLINES		0x00
#define PHY_SIM_GPIO_INPUT		0x04
#define PHY_SIM_GPIO_DIRECTION		0x08
#define PHY_SIM_GPIO_OUTPUT		0x0c
#define PHY_SIM_GPIO_IRQ_LEVEL		0x10
#define PHY_SIM_GPIO_IRQ_HIGH		0x14
#define PHY_SIM_GPIO_IRQ_BOTH		0x18
#define PHY_SIM_GPIO_IRQ_ENABLE		0x1c
#define PHY_SIM_GPIO_IRQ_STATUS		0x20
#define PHY_SIM_GPIO_MAX_LINES		32

/* MAC port n */
#define PHY_SIM_PORT(n)			(0x3000 + 0x100 * (n))
#define PHY_SIM_PORT_CAPS		0x00
#define PHY_SIM_PORT_INTERFACES		0x04
#define PHY_SIM_PORT_MAC_LO		0x08
#define PHY_SIM_PORT_MAC_HI		0x0c
#define PHY_SIM_PORT_MB_CONFIG		0x10
#define PHY_SIM_MB_CONFIG_IFACE		GENMASK(7, 0)
#define PHY_SIM_MB_CONFIG_MODE		GENMASK(9, 8)
#define PHY_SIM_PORT_MB_LINK_UP		0x14
#define PHY_SIM_MB_LINK_UP_SPEED	GENMASK(23, 0)
#define PHY_SIM_MB_LINK_UP_FULL		BIT(24)
#define PHY_SIM_MB_LINK_UP_TX_PAUSE	BIT(25)
#define PHY_SIM_MB_LINK_UP_RX_PAUSE	BIT(26)
#define PHY_SIM_MB_LINK_UP_IFACE	GENMASK(31, 28)
#define PHY_SIM_PORT_MB_LINK_DOWN	0x18
#define PHY_SIM_MB_LINK_DOWN_IFACE	GENMASK(7, 0)

#define PHY_SIM_MB_MODE_PHY		0
#define PHY_SIM_MB_MODE_FIXED		1
#define PHY_SIM_MB_MODE_INBAND		2

/* At most 16 blocks of each kind; MSI-X vector 0 plus one per GPIO bank. */
#define PHY_SIM_MAX_BLOCKS		16
#define PHY_SIM_MAX_VECTORS		8

/*
 * A deadline the device reports at or before the CLOCK value just written
 * would make the hrtimer fire again at once, forever; push it this far out.
 */
#define PHY_SIM_MIN_DELTA_NS		10000

struct phy_sim;

struct phy_sim_gpio {
	struct gpio_chip gc;
	struct phy_sim *ps;
	struct device_node *np;
	struct irq_domain *domain;
	void __iomem *base;
	unsigned int index;
	unsigned int ngpio;
	int irq;
	bool added;
	/* Protects the register caches below and their registers. */
	raw_spinlock_t lock;
	u32 dir;
	u32 out;
	u32 level;
	u32 high;
	u32 both;
	u32 enable;
	/* Serialises reading IRQ_STATUS with handling what it reported. */
	raw_spinlock_t dispatch_lock;
};

struct phy_sim_mdio {
	struct phy_sim *ps;
	struct device_node *np;
	void __iomem *base;
	/* One MDIO frame with its preamble: 64 MDC cycles. */
	unsigned int frame_ns;
	unsigned int index;
	bool registered;
};

struct phy_sim_port {
	struct phy_sim *ps;
	struct net_device *ndev;
	struct device_node *np;
	void __iomem *base;
	struct phylink *pl;
	struct phylink_config config;
	phy_interface_t iface;
	unsigned int index;
	bool registered;
};

struct phy_sim {
	struct pci_dev *pdev;
	void __iomem *regs;
	unsigned int n_mdio;
	unsigned int n_gpio;
	unsigned int n_ports;

	/* The node the overlay is applied onto, and how it was made. */
	struct of_changeset cset;
	struct device_node *np;
	bool cset_applied;
	bool np_attached;
	int ovcs_id;

	/* Interrupts: MSI-X (vector 0 events, 1 + n bank n) or INTx. */
	int nvec;
	bool msix;
	int event_irq;
	bool event_irq_requested;
	u32 irq_enable;

	/* The clock protocol: one hrtimer at the device's next deadline. */
	struct hrtimer timer;
	/* Serialises CLOCK/SYNC round trips with re-arming the timer. */
	raw_spinlock_t sync_lock;
	bool stopping;

	struct phy_sim_gpio *banks[PHY_SIM_MAX_BLOCKS];
	struct mii_bus *buses[PHY_SIM_MAX_BLOCKS];
	struct net_device *ports[PHY_SIM_MAX_BLOCKS];
};

/* ABI interface codes (sim/ABI.md, "Interface codes") */
static const phy_interface_t phy_sim_iface_codes[] = {
	[0] = PHY_INTERFACE_MODE_NA,
	[1] = PHY_INTERFACE_MODE_MII,
	[2] = PHY_INTERFACE_MODE_GMII,
	[3] = PHY_INTERFACE_MODE_SGMII,
	[4] = PHY_INTERFACE_MODE_RGMII,
	[5] = PHY_INTERFACE_MODE_RGMII_ID,
	[6] = PHY_INTERFACE_MODE_RGMII_RXID,
	[7] = PHY_INTERFACE_MODE_RGMII_TXID,
	[8] = PHY_INTERFACE_MODE_1000BASEX,
	[9] = PHY_INTERFACE_MODE_2500BASEX,
	[10] = PHY_INTERFACE_MODE_5GBASER,
	[11] = PHY_INTERFACE_MODE_10GBASER,
	[12] = PHY_INTERFACE_MODE_USXGMII,
	[13] = PHY_INTERFACE_MODE_QSGMII,
	[14] = PHY_INTERFACE_MODE_10GKR,
	[15] = PHY_INTERFACE_MODE_INTERNAL,
};

/* ABI port CAPS bits, in bit order */
static const unsigned long phy_sim_mac_caps[] = {
	MAC_SYM_PAUSE, MAC_ASYM_PAUSE,
	MAC_10HD, MAC_10FD, MAC_100HD, MAC_100FD, MAC_1000HD, MAC_1000FD,
	MAC_2500FD, MAC_5000FD, MAC_10000FD,
};

static u32 phy_sim_iface_code(phy_interface_t iface)
{
	unsigned int i;

	for (i = 1; i < ARRAY_SIZE(phy_sim_iface_codes); i++)
		if (phy_sim_iface_codes[i] == iface)
			return i;
	return 0;
}

/* ---- the clock protocol ------------------------------------------------ */

/* Posted write: the device runs every model up to now before what follows. */
static void phy_sim_clock(struct phy_sim *ps)
{
	writeq(ktime_get_ns(), ps->regs + PHY_SIM_CLOCK);
}

static void phy_sim_write(struct phy_sim *ps, unsigned int reg, u32 val)
{
	phy_sim_clock(ps);
	writel(val, ps->regs + reg);
}

static bool phy_sim_gpio_dispatch(struct phy_sim_gpio *bank);

/* Called with interrupts disabled. */
static void phy_sim_handle_pending(struct phy_sim *ps)
{
	unsigned long status;
	unsigned int n;

	if (!ps->n_gpio)
		return;
	if (ps->n_gpio == 1) {
		if (ps->banks[0])
			phy_sim_gpio_dispatch(ps->banks[0]);
		return;
	}

	/* Several banks: the summary bits say which ones to look at. */
	status = readl(ps->regs + PHY_SIM_IRQ_STATUS) >> 8;
	for_each_set_bit(n, &status, ps->n_gpio)
		if (ps->banks[n])
			phy_sim_gpio_dispatch(ps->banks[n]);
}

/*
 * Write CLOCK, read SYNC, re-arm the timer at the deadline it returns.
 * Returns whether the device has an interrupt pending.
 *
 * Reading SYNC and arming the timer happen under one lock, so the timer
 * always ends up armed at the deadline of the most recent read, whichever
 * context (timer, vector 0, MDIO, sysfs) synced last. hrtimer_start() is
 * safe from the timer's own callback: the callback then returns
 * HRTIMER_NORESTART and leaves the re-enqueued timer alone.
 */
static bool phy_sim_sync_locked(struct phy_sim *ps)
{
	u64 now, sync, deadline;

	lockdep_assert_held(&ps->sync_lock);

	if (ps->stopping)
		return false;

	now = ktime_get_ns();
	writeq(now, ps->regs + PHY_SIM_CLOCK);
	sync = readq(ps->regs + PHY_SIM_SYNC);
	deadline = sync & PHY_SIM_SYNC_DEADLINE;

	if (deadline == PHY_SIM_SYNC_NO_DEADLINE) {
		/*
		 * Fails only while the callback runs; a timer some other
		 * context armed meanwhile then fires once for nothing.
		 */
		hrtimer_try_to_cancel(&ps->timer);
	} else {
		if (deadline <= now) {
			dev_warn_ratelimited(&ps->pdev->dev,
					     "deadline %llu not after clock %llu\n",
					     deadline, now);
			deadline = now + PHY_SIM_MIN_DELTA_NS;
		}
		hrtimer_start(&ps->timer, ns_to_ktime(deadline),
			      HRTIMER_MODE_ABS_HARD);
	}

	return sync & PHY_SIM_SYNC_PENDING;
}

/* Any context. Handles what is pending right away, as if its MSI came. */
static void phy_sim_sync(struct phy_sim *ps)
{
	unsigned long flags;
	bool pending;

	raw_spin_lock_irqsave(&ps->sync_lock, flags);
	pending = phy_sim_sync_locked(ps);
	raw_spin_unlock(&ps->sync_lock);
	if (pending)
		phy_sim_handle_pending(ps);
	local_irq_restore(flags);
}

static enum hrtimer_restart phy_sim_timer_fn(struct hrtimer *timer)
{
	struct phy_sim *ps = container_of(timer, struct phy_sim, timer);

	phy_sim_sync(ps);
	return HRTIMER_NORESTART;
}

/* MSI-X vector 0: DEADLINE_CHANGED is its only source. */
static irqreturn_t phy_sim_event_irq(int irq, void *data)
{
	phy_sim_sync(data);
	return IRQ_HANDLED;
}

/* INTx: one shared, level-triggered line for everything. */
static irqreturn_t phy_sim_intx_irq(int irq, void *data)
{
	struct phy_sim *ps = data;
	unsigned long banks;
	unsigned int n;
	u32 status;

	status = readl(ps->regs + PHY_SIM_IRQ_STATUS) & ps->irq_enable;
	if (!status)
		return IRQ_NONE;

	if (status & PHY_SIM_IRQ_DEADLINE_CHANGED) {
		raw_spin_lock(&ps->sync_lock);
		phy_sim_sync_locked(ps);
		raw_spin_unlock(&ps->sync_lock);
	}

	banks = status >> 8;
	for_each_set_bit(n, &banks, ps->n_gpio)
		if (ps->banks[n])
			phy_sim_gpio_dispatch(ps->banks[n]);

	return IRQ_HANDLED;
}

/* ---- sysfs ------------------------------------------------------------- */

static ssize_t timeline_start_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct phy_sim *ps = dev_get_drvdata(dev);

	if (!sysfs_streq(buf, "1"))
		return -EINVAL;

	phy_sim_write(ps, PHY_SIM_CTRL, PHY_SIM_CTRL_TIMELINE_START);
	/* The timeline brings deadlines of its own. */
	phy_sim_sync(ps);
	return count;
}
static DEVICE_ATTR_WO(timeline_start);

static ssize_t timeline_origin_ns_show(struct device *dev,
				       struct device_attribute *attr,
				       char *buf)
{
	struct phy_sim *ps = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n",
			  (u64)readq(ps->regs + PHY_SIM_TIMELINE_ORIGIN));
}
static DEVICE_ATTR_RO(timeline_origin_ns);

static struct attribute *phy_sim_attrs[] = {
	&dev_attr_timeline_start.attr,
	&dev_attr_timeline_origin_ns.attr,
	NULL
};
ATTRIBUTE_GROUPS(phy_sim);

/* ---- GPIO banks -------------------------------------------------------- */

static void phy_sim_gpio_write(struct phy_sim_gpio *bank, unsigned int reg,
			       u32 val)
{
	phy_sim_clock(bank->ps);
	writel(val, bank->base + reg);
}

static u32 phy_sim_gpio_input(struct phy_sim_gpio *bank)
{
	phy_sim_clock(bank->ps);
	return readl(bank->base + PHY_SIM_GPIO_INPUT);
}

static int phy_sim_gpio_get_direction(struct gpio_chip *gc,
				      unsigned int offset)
{
	struct phy_sim_gpio *bank = gpiochip_get_data(gc);

	if (READ_ONCE(bank->dir) & BIT(offset))
		return GPIO_LINE_DIRECTION_OUT;
	return GPIO_LINE_DIRECTION_IN;
}

static int phy_sim_gpio_direction_input(struct gpio_chip *gc,
					unsigned int offset)
{
	struct phy_sim_gpio *bank = gpiochip_get_data(gc);
	unsigned long flags;

	raw_spin_lock_irqsave(&bank->lock, flags);
	bank->dir &= ~BIT(offset);
	phy_sim_gpio_write(bank, PHY_SIM_GPIO_DIRECTION, bank->dir);
	raw_spin_unlock_irqrestore(&bank->lock, flags);
	return 0;
}

static int phy_sim_gpio_direction_output(struct gpio_chip *gc,
					 unsigned int offset, int value)
{
	struct phy_sim_gpio *bank = gpiochip_get_data(gc);
	unsigned long flags;

	raw_spin_lock_irqsave(&bank->lock, flags);
	/* Latch the level first so the line never glitches. */
	if (value)
		bank->out |= BIT(offset);
	else
		bank->out &= ~BIT(offset);
	phy_sim_gpio_write(bank, PHY_SIM_GPIO_OUTPUT, bank->out);
	bank->dir |= BIT(offset);
	writel(bank->dir, bank->base + PHY_SIM_GPIO_DIRECTION);
	raw_spin_unlock_irqrestore(&bank->lock, flags);
	return 0;
}

static int phy_sim_gpio_get(struct gpio_chip *gc, unsigned int offset)
{
	struct phy_sim_gpio *bank = gpiochip_get_data(gc);

	return !!(phy_sim_gpio_input(bank) & BIT(offset));
}

static int phy_sim_gpio_get_multiple(struct gpio_chip *gc,
				     unsigned long *mask, unsigned long *bits)
{
	struct phy_sim_gpio *bank = gpiochip_get_data(gc);
	u32 in = phy_sim_gpio_input(bank);

	*bits = (*bits & ~*mask) | (in & *mask);
	return 0;
}

static int phy_sim_gpio_set(struct gpio_chip *gc, unsigned int offset,
			    int value)
{
	struct phy_sim_gpio *bank = gpiochip_get_data(gc);
	unsigned long flags;

	raw_spin_lock_irqsave(&bank->lock, flags);
	if (value)
		bank->out |= BIT(offset);
	else
		bank->out &= ~BIT(offset);
	phy_sim_gpio_write(bank, PHY_SIM_GPIO_OUTPUT, bank->out);
	raw_spin_unlock_irqrestore(&bank->lock, flags);
	return 0;
}

static int phy_sim_gpio_set_multiple(struct gpio_chip *gc,
				     unsigned long *mask, unsigned long *bits)
{
	struct phy_sim_gpio *bank = gpiochip_get_data(gc);
	unsigned long flags;

	raw_spin_lock_irqsave(&bank->lock, flags);
	bank->out = (bank->out & ~*mask) | (*bits & *mask);
	phy_sim_gpio_write(bank, PHY_SIM_GPIO_OUTPUT, bank->out);
	raw_spin_unlock_irqrestore(&bank->lock, flags);
	return 0;
}

static int phy_sim_gpio_to_irq(struct gpio_chip *gc, unsigned int offset)
{
	struct phy_sim_gpio *bank = gpiochip_get_data(gc);

	return irq_create_mapping(bank->domain, offset);
}

static void phy_sim_irq_mask(struct irq_data *d)
{
	struct phy_sim_gpio *bank = irq_data_get_irq_chip_data(d);
	irq_hw_number_t hwirq = irqd_to_hwirq(d);
	unsigned long flags;

	raw_spin_lock_irqsave(&bank->lock, flags);
	bank->enable &= ~BIT(hwirq);
	phy_sim_gpio_write(bank, PHY_SIM_GPIO_IRQ_ENABLE, bank->enable);
	raw_spin_unlock_irqrestore(&bank->lock, flags);
	gpiochip_disable_irq(&bank->gc, hwirq);
}

/*
 * The device sends the bank's MSI again after any write that leaves
 * IRQ_STATUS & IRQ_ENABLE non-zero, so a level line that is still active
 * when its thread is done and unmasks it is handled again.
 */
static void phy_sim_irq_unmask(struct irq_data *d)
{
	struct phy_sim_gpio *bank = irq_data_get_irq_chip_data(d);
	irq_hw_number_t hwirq = irqd_to_hwirq(d);
	unsigned long flags;

	gpiochip_enable_irq(&bank->gc, hwirq);
	raw_spin_lock_irqsave(&bank->lock, flags);
	bank->enable |= BIT(hwirq);
	phy_sim_gpio_write(bank, PHY_SIM_GPIO_IRQ_ENABLE, bank->enable);
	raw_spin_unlock_irqrestore(&bank->lock, flags);
}

/*
 * Clears a latched edge. handle_level_irq() calls it too, after masking;
 * W1C does nothing to an active level, so the write is skipped there.
 */
static void phy_sim_irq_ack(struct irq_data *d)
{
	struct phy_sim_gpio *bank = irq_data_get_irq_chip_data(d);
	u32 bit = BIT(irqd_to_hwirq(d));

	if (!(READ_ONCE(bank->level) & bit))
		phy_sim_gpio_write(bank, PHY_SIM_GPIO_IRQ_STATUS, bit);
}

static int phy_sim_irq_set_type(struct irq_data *d, unsigned int type)
{
	struct phy_sim_gpio *bank = irq_data_get_irq_chip_data(d);
	u32 bit = BIT(irqd_to_hwirq(d));
	bool level, high, both;
	unsigned long flags;

	switch (type & IRQ_TYPE_SENSE_MASK) {
	case IRQ_TYPE_EDGE_RISING:
		level = false;
		high = true;
		both = false;
		break;
	case IRQ_TYPE_EDGE_FALLING:
		level = false;
		high = false;
		both = false;
		break;
	case IRQ_TYPE_EDGE_BOTH:
		level = false;
		high = false;
		both = true;
		break;
	case IRQ_TYPE_LEVEL_HIGH:
		level = true;
		high = true;
		both = false;
		break;
	case IRQ_TYPE_LEVEL_LOW:
		level = true;
		high = false;
		both = false;
		break;
	default:
		return -EINVAL;
	}

	raw_spin_lock_irqsave(&bank->lock, flags);
	bank->level = level ? bank->level | bit : bank->level & ~bit;
	bank->high = high ? bank->high | bit : bank->high & ~bit;
	bank->both = both ? bank->both | bit : bank->both & ~bit;
	phy_sim_gpio_write(bank, PHY_SIM_GPIO_IRQ_LEVEL, bank->level);
	writel(bank->high, bank->base + PHY_SIM_GPIO_IRQ_HIGH);
	writel(bank->both, bank->base + PHY_SIM_GPIO_IRQ_BOTH);
	/* Drop an edge latched under the previous configuration. */
	writel(bit, bank->base + PHY_SIM_GPIO_IRQ_STATUS);
	raw_spin_unlock_irqrestore(&bank->lock, flags);

	irq_set_handler_locked(d, level ? handle_level_irq : handle_edge_irq);
	return IRQ_SET_MASK_OK;
}

/*
 * gpiochip_reqres_irq() would also take a reference on this module; the
 * consumers of these lines are all children of this device and go away in
 * remove(), so that reference would only make rmmod fail while a port is up.
 */
static int phy_sim_irq_reqres(struct irq_data *d)
{
	struct phy_sim_gpio *bank = irq_data_get_irq_chip_data(d);

	return gpiochip_lock_as_irq(&bank->gc, irqd_to_hwirq(d));
}

static void phy_sim_irq_relres(struct irq_data *d)
{
	struct phy_sim_gpio *bank = irq_data_get_irq_chip_data(d);

	gpiochip_unlock_as_irq(&bank->gc, irqd_to_hwirq(d));
}

static const struct irq_chip phy_sim_irq_chip = {
	.name = "phy-sim-gpio",
	.irq_ack = phy_sim_irq_ack,
	.irq_mask = phy_sim_irq_mask,
	.irq_unmask = phy_sim_irq_unmask,
	.irq_set_type = phy_sim_irq_set_type,
	.irq_request_resources = phy_sim_irq_reqres,
	.irq_release_resources = phy_sim_irq_relres,
	.flags = IRQCHIP_IMMUTABLE | IRQCHIP_SKIP_SET_WAKE,
};

static int phy_sim_irq_map(struct irq_domain *d, unsigned int virq,
			   irq_hw_number_t hwirq)
{
	struct phy_sim_gpio *bank = d->host_data;

	if (hwirq >= bank->ngpio)
		return -EINVAL;

	irq_set_chip_data(virq, bank);
	/* Lines reset to edge/falling; set_type picks the flow handler. */
	irq_set_chip_and_handler(virq, &phy_sim_irq_chip, handle_edge_irq);
	irq_set_noprobe(virq);
	return 0;
}

static void phy_sim_irq_unmap(struct irq_domain *d, unsigned int virq)
{
	irq_set_chip_and_handler(virq, NULL, NULL);
	irq_set_chip_data(virq, NULL);
}

/* Two cells, line and IRQ_TYPE_*; a line the bank lacks is refused. */
static int phy_sim_irq_xlate(struct irq_domain *d, struct device_node *node,
			     const u32 *intspec, unsigned int intsize,
			     irq_hw_number_t *out_hwirq,
			     unsigned int *out_type)
{
	struct phy_sim_gpio *bank = d->host_data;
	int ret;

	ret = irq_domain_xlate_twocell(d, node, intspec, intsize, out_hwirq,
				       out_type);
	if (ret)
		return ret;
	if (*out_hwirq >= bank->ngpio)
		return -EINVAL;
	return 0;
}

static const struct irq_domain_ops phy_sim_irq_domain_ops = {
	.map = phy_sim_irq_map,
	.unmap = phy_sim_irq_unmap,
	.xlate = phy_sim_irq_xlate,
};

/*
 * Called with interrupts disabled, from the bank's vector, the INTx handler
 * or a sync. The lock keeps two contexts from handling one status read
 * twice: after the first is done, handled levels are masked and handled
 * edges acked, so the second read finds nothing.
 */
static bool phy_sim_gpio_dispatch(struct phy_sim_gpio *bank)
{
	unsigned long pending;
	unsigned int hwirq;

	raw_spin_lock(&bank->dispatch_lock);
	phy_sim_clock(bank->ps);
	pending = readl(bank->base + PHY_SIM_GPIO_IRQ_STATUS);
	pending &= READ_ONCE(bank->enable);
	for_each_set_bit(hwirq, &pending, bank->ngpio)
		generic_handle_domain_irq(bank->domain, hwirq);
	raw_spin_unlock(&bank->dispatch_lock);

	return pending;
}

/*
 * MSI-X vector 1 + n. Not shared, and the ABI says an MSI may find nothing
 * pending (a sync handled it first), so it is never reported as unhandled.
 */
static irqreturn_t phy_sim_bank_irq(int irq, void *data)
{
	phy_sim_gpio_dispatch(data);
	return IRQ_HANDLED;
}

static int phy_sim_gpio_init(struct phy_sim *ps, struct device_node *np,
			     unsigned int index)
{
	struct device *dev = &ps->pdev->dev;
	struct phy_sim_gpio *bank;
	struct gpio_chip *gc;
	u32 nlines;
	int ret;

	bank = devm_kzalloc(dev, sizeof(*bank), GFP_KERNEL);
	if (!bank)
		return -ENOMEM;

	bank->ps = ps;
	bank->np = of_node_get(np);
	bank->index = index;
	bank->base = ps->regs + PHY_SIM_GPIO(index);
	raw_spin_lock_init(&bank->lock);
	raw_spin_lock_init(&bank->dispatch_lock);
	ps->banks[index] = bank;

	nlines = readl(bank->base + PHY_SIM_GPIO_NLINES);
	if (!nlines || nlines > PHY_SIM_GPIO_MAX_LINES) {
		dev_err(dev, "GPIO bank %u: bad NLINES %u\n", index, nlines);
		return -EINVAL;
	}
	bank->ngpio = nlines;

	/* Outputs keep their state; interrupts start masked and unlatched. */
	bank->dir = readl(bank->base + PHY_SIM_GPIO_DIRECTION);
	bank->out = readl(bank->base + PHY_SIM_GPIO_OUTPUT);
	phy_sim_gpio_write(bank, PHY_SIM_GPIO_IRQ_ENABLE, 0);
	writel(0, bank->base + PHY_SIM_GPIO_IRQ_LEVEL);
	writel(0, bank->base + PHY_SIM_GPIO_IRQ_HIGH);
	writel(0, bank->base + PHY_SIM_GPIO_IRQ_BOTH);
	writel(U32_MAX, bank->base + PHY_SIM_GPIO_IRQ_STATUS);

	bank->domain = irq_domain_create_linear(of_fwnode_handle(np),
						bank->ngpio,
						&phy_sim_irq_domain_ops, bank);
	if (!bank->domain)
		return -ENOMEM;

	gc = &bank->gc;
	gc->label = devm_kasprintf(dev, GFP_KERNEL, "%s-%s-gpio%u",
				   PHY_SIM_DRV_NAME, pci_name(ps->pdev), index);
	if (!gc->label)
		return -ENOMEM;
	/*
	 * No parent and no owner, on purpose. With the PCI device as parent,
	 * gpiolib would attach each chip to the device's ACPI companion (q35
	 * slots have one; the second bank fails to attach with an error) and
	 * pin this module for every requested line. All consumers of these
	 * lines (PHY interrupts and reset lines, ...) are children of this
	 * device and are gone before remove() removes the chips, so pinning
	 * would only make rmmod fail while the board is bound.
	 */
	gc->fwnode = of_fwnode_handle(np);
	gc->base = -1;
	gc->ngpio = bank->ngpio;
	gc->can_sleep = false;
	gc->get_direction = phy_sim_gpio_get_direction;
	gc->direction_input = phy_sim_gpio_direction_input;
	gc->direction_output = phy_sim_gpio_direction_output;
	gc->get = phy_sim_gpio_get;
	gc->get_multiple = phy_sim_gpio_get_multiple;
	gc->set = phy_sim_gpio_set;
	gc->set_multiple = phy_sim_gpio_set_multiple;
	gc->to_irq = phy_sim_gpio_to_irq;

	ret = gpiochip_add_data(gc, bank);
	if (ret) {
		dev_err(dev, "GPIO bank %u: cannot add gpiochip: %d\n",
			index, ret);
		return ret;
	}
	bank->added = true;
	return 0;
}

static void phy_sim_gpio_remove(struct phy_sim_gpio *bank)
{
	irq_hw_number_t hwirq;
	unsigned int virq;

	if (bank->added)
		gpiochip_remove(&bank->gc);
	bank->added = false;

	if (bank->domain) {
		/* of_irq_get() mappings are never disposed by their users. */
		for (hwirq = 0; hwirq < bank->ngpio; hwirq++) {
			virq = irq_find_mapping(bank->domain, hwirq);
			if (virq)
				irq_dispose_mapping(virq);
		}
		irq_domain_remove(bank->domain);
		bank->domain = NULL;
	}

	of_node_put(bank->np);
	bank->np = NULL;
}

/* ---- MDIO buses -------------------------------------------------------- */

/*
 * One operation: write CLOCK, (C45_REG,) CMD, read RESULT. The device answers
 * at once; the bus then stays busy for as long as the frames take on a real
 * MDC, so that drivers polling a PHY back to back (marvell.c's VCT5 wait,
 * for one) see the guest time pass that they do on hardware. A Clause 45
 * operation is an address frame and a data frame.
 */
static int phy_sim_mdio_op(struct mii_bus *bus, u32 cmd, int c45_reg)
{
	struct phy_sim_mdio *mdio = bus->priv;
	struct phy_sim *ps = mdio->ps;
	u32 result;

	phy_sim_clock(ps);
	if (c45_reg >= 0)
		writel(c45_reg, mdio->base + PHY_SIM_MDIO_C45_REG);
	writel(cmd, mdio->base + PHY_SIM_MDIO_CMD);
	result = readl(mdio->base + PHY_SIM_MDIO_RESULT);

	if (result & PHY_SIM_MDIO_RESULT_SYNC_NEEDED)
		phy_sim_sync(ps);

	ndelay(c45_reg >= 0 ? 2 * mdio->frame_ns : mdio->frame_ns);
	return FIELD_GET(PHY_SIM_MDIO_RESULT_DATA, result);
}

static u32 phy_sim_mdio_cmd(unsigned int op, int addr, int reg, u16 val)
{
	return FIELD_PREP(PHY_SIM_MDIO_CMD_ADDR, addr) |
	       FIELD_PREP(PHY_SIM_MDIO_CMD_REG, reg) |
	       FIELD_PREP(PHY_SIM_MDIO_CMD_OP, op) |
	       FIELD_PREP(PHY_SIM_MDIO_CMD_DATA, val);
}

static int phy_sim_mdio_read(struct mii_bus *bus, int addr, int regnum)
{
	if (addr < 0 || addr >= PHY_MAX_ADDR || regnum < 0 || regnum > 31)
		return -EINVAL;

	return phy_sim_mdio_op(bus, phy_sim_mdio_cmd(PHY_SIM_MDIO_OP_C22_READ,
						     addr, regnum, 0), -1);
}

static int phy_sim_mdio_write(struct mii_bus *bus, int addr, int regnum,
			      u16 val)
{
	if (addr < 0 || addr >= PHY_MAX_ADDR || regnum < 0 || regnum > 31)
		return -EINVAL;

	phy_sim_mdio_op(bus, phy_sim_mdio_cmd(PHY_SIM_MDIO_OP_C22_WRITE,
					      addr, regnum, val), -1);
	return 0;
}

static int phy_sim_mdio_read_c45(struct mii_bus *bus, int addr, int devnum,
				 int regnum)
{
	if (addr < 0 || addr >= PHY_MAX_ADDR || devnum < 0 || devnum > 31 ||
	    regnum < 0 || regnum > 0xffff)
		return -EINVAL;

	return phy_sim_mdio_op(bus, phy_sim_mdio_cmd(PHY_SIM_MDIO_OP_C45_READ,
						     addr, devnum, 0), regnum);
}

static int phy_sim_mdio_write_c45(struct mii_bus *bus, int addr, int devnum,
				  int regnum, u16 val)
{
	if (addr < 0 || addr >= PHY_MAX_ADDR || devnum < 0 || devnum > 31 ||
	    regnum < 0 || regnum > 0xffff)
		return -EINVAL;

	phy_sim_mdio_op(bus, phy_sim_mdio_cmd(PHY_SIM_MDIO_OP_C45_WRITE,
					      addr, devnum, val), regnum);
	return 0;
}

/*
 * Not devm_mdiobus_alloc(): a registered bus holds a reference on its OF
 * node until mdiobus_free(), and devres would free it only after remove()
 * has removed the overlay, which then reports the node as leaked.
 */
static int phy_sim_mdio_init(struct phy_sim *ps, struct device_node *np,
			     unsigned int index)
{
	struct device *dev = &ps->pdev->dev;
	struct phy_sim_mdio *mdio;
	struct mii_bus *bus;
	const char *label;
	u32 mdc_hz;
	int ret;

	bus = mdiobus_alloc_size(sizeof(*mdio));
	if (!bus)
		return -ENOMEM;
	ps->buses[index] = bus;

	mdio = bus->priv;
	mdio->ps = ps;
	mdio->np = of_node_get(np);
	mdio->index = index;
	mdio->base = ps->regs + PHY_SIM_MDIO(index);
	/* The MDIO binding's "clock-frequency": the MDC rate; 802.3 caps it at 2.5 MHz. */
	if (of_property_read_u32(np, "clock-frequency", &mdc_hz) || !mdc_hz)
		mdc_hz = 2500000;
	mdio->frame_ns = DIV_ROUND_UP(64 * NSEC_PER_SEC, mdc_hz);

	if (of_property_read_string(np, "label", &label))
		label = "phy-sim MDIO";
	bus->name = label;
	snprintf(bus->id, MII_BUS_ID_SIZE, "%s-%s-%u", PHY_SIM_DRV_NAME,
		 pci_name(ps->pdev), index);
	bus->parent = dev;
	bus->read = phy_sim_mdio_read;
	bus->write = phy_sim_mdio_write;
	bus->read_c45 = phy_sim_mdio_read_c45;
	bus->write_c45 = phy_sim_mdio_write_c45;

	ret = of_mdiobus_register(bus, np);
	if (ret) {
		dev_err(dev, "MDIO bus %u: cannot register: %d\n", index, ret);
		return ret;
	}
	mdio->registered = true;
	return 0;
}

static void phy_sim_mdio_remove(struct phy_sim *ps, unsigned int index)
{
	struct mii_bus *bus = ps->buses[index];
	struct phy_sim_mdio *mdio = bus->priv;

	if (mdio->registered)
		mdiobus_unregister(bus);
	of_node_put(mdio->np);
	mdiobus_free(bus);
	ps->buses[index] = NULL;
}

/* ---- MAC ports --------------------------------------------------------- */

static struct phy_sim_port *phy_sim_config_to_port(struct phylink_config *c)
{
	return netdev_priv(to_net_dev(c->dev));
}

static void phy_sim_port_write(struct phy_sim_port *port, unsigned int reg,
			       u32 val)
{
	phy_sim_clock(port->ps);
	writel(val, port->base + reg);
}

static void phy_sim_mac_config(struct phylink_config *config,
			       unsigned int mode,
			       const struct phylink_link_state *state)
{
	struct phy_sim_port *port = phy_sim_config_to_port(config);
	u32 mb_mode;

	switch (mode) {
	case MLO_AN_FIXED:
		mb_mode = PHY_SIM_MB_MODE_FIXED;
		break;
	case MLO_AN_INBAND:
		mb_mode = PHY_SIM_MB_MODE_INBAND;
		break;
	default:
		mb_mode = PHY_SIM_MB_MODE_PHY;
		break;
	}

	phy_sim_port_write(port, PHY_SIM_PORT_MB_CONFIG,
			   FIELD_PREP(PHY_SIM_MB_CONFIG_IFACE,
				      phy_sim_iface_code(state->interface)) |
			   FIELD_PREP(PHY_SIM_MB_CONFIG_MODE, mb_mode));
}

static void phy_sim_mac_link_down(struct phylink_config *config,
				  unsigned int mode, phy_interface_t interface)
{
	struct phy_sim_port *port = phy_sim_config_to_port(config);

	phy_sim_port_write(port, PHY_SIM_PORT_MB_LINK_DOWN,
			   FIELD_PREP(PHY_SIM_MB_LINK_DOWN_IFACE,
				      phy_sim_iface_code(interface)));
}

static void phy_sim_mac_link_up(struct phylink_config *config,
				struct phy_device *phy, unsigned int mode,
				phy_interface_t interface, int speed,
				int duplex, bool tx_pause, bool rx_pause)
{
	struct phy_sim_port *port = phy_sim_config_to_port(config);
	u32 val;

	if (speed < 0)
		speed = 0;
	val = FIELD_PREP(PHY_SIM_MB_LINK_UP_SPEED,
			 min_t(u32, speed, FIELD_MAX(PHY_SIM_MB_LINK_UP_SPEED))) |
	      FIELD_PREP(PHY_SIM_MB_LINK_UP_IFACE,
			 phy_sim_iface_code(interface) & 0xf);
	if (duplex == DUPLEX_FULL)
		val |= PHY_SIM_MB_LINK_UP_FULL;
	if (tx_pause)
		val |= PHY_SIM_MB_LINK_UP_TX_PAUSE;
	if (rx_pause)
		val |= PHY_SIM_MB_LINK_UP_RX_PAUSE;

	phy_sim_port_write(port, PHY_SIM_PORT_MB_LINK_UP, val);
}

static const struct phylink_mac_ops phy_sim_phylink_mac_ops = {
	.mac_config = phy_sim_mac_config,
	.mac_link_down = phy_sim_mac_link_down,
	.mac_link_up = phy_sim_mac_link_up,
};

static int phy_sim_ndo_open(struct net_device *ndev)
{
	struct phy_sim_port *port = netdev_priv(ndev);
	int ret;

	ret = phylink_of_phy_connect(port->pl, port->np, 0);
	if (ret) {
		netdev_err(ndev, "cannot connect PHY: %d\n", ret);
		return ret;
	}
	phylink_start(port->pl);
	return 0;
}

static int phy_sim_ndo_stop(struct net_device *ndev)
{
	struct phy_sim_port *port = netdev_priv(ndev);

	phylink_stop(port->pl);
	phylink_disconnect_phy(port->pl);
	return 0;
}

/* There is no data path: every frame is dropped and counted. */
static netdev_tx_t phy_sim_ndo_start_xmit(struct sk_buff *skb,
					  struct net_device *ndev)
{
	DEV_STATS_INC(ndev, tx_dropped);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static int phy_sim_ndo_eth_ioctl(struct net_device *ndev, struct ifreq *ifr,
				 int cmd)
{
	struct phy_sim_port *port = netdev_priv(ndev);

	return phylink_mii_ioctl(port->pl, ifr, cmd);
}

static const struct net_device_ops phy_sim_netdev_ops = {
	.ndo_open = phy_sim_ndo_open,
	.ndo_stop = phy_sim_ndo_stop,
	.ndo_start_xmit = phy_sim_ndo_start_xmit,
	.ndo_eth_ioctl = phy_sim_ndo_eth_ioctl,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void phy_sim_get_drvinfo(struct net_device *ndev,
				struct ethtool_drvinfo *info)
{
	struct phy_sim_port *port = netdev_priv(ndev);

	strscpy(info->driver, PHY_SIM_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(port->ps->pdev),
		sizeof(info->bus_info));
}

static int phy_sim_get_link_ksettings(struct net_device *ndev,
				      struct ethtool_link_ksettings *cmd)
{
	struct phy_sim_port *port = netdev_priv(ndev);

	return phylink_ethtool_ksettings_get(port->pl, cmd);
}

static int phy_sim_set_link_ksettings(struct net_device *ndev,
				      const struct ethtool_link_ksettings *cmd)
{
	struct phy_sim_port *port = netdev_priv(ndev);

	return phylink_ethtool_ksettings_set(port->pl, cmd);
}

static int phy_sim_nway_reset(struct net_device *ndev)
{
	struct phy_sim_port *port = netdev_priv(ndev);

	return phylink_ethtool_nway_reset(port->pl);
}

static void phy_sim_get_pauseparam(struct net_device *ndev,
				   struct ethtool_pauseparam *pause)
{
	struct phy_sim_port *port = netdev_priv(ndev);

	phylink_ethtool_get_pauseparam(port->pl, pause);
}

static int phy_sim_set_pauseparam(struct net_device *ndev,
				  struct ethtool_pauseparam *pause)
{
	struct phy_sim_port *port = netdev_priv(ndev);

	return phylink_ethtool_set_pauseparam(port->pl, pause);
}

/* The MAC has no LPI ops: phylink hands EEE straight to phylib, which keeps
 * the PHY's own EEE advertisement, so a scenario sees what the PHY model does.
 */
static int phy_sim_get_eee(struct net_device *ndev, struct ethtool_keee *eee)
{
	struct phy_sim_port *port = netdev_priv(ndev);

	return phylink_ethtool_get_eee(port->pl, eee);
}

static int phy_sim_set_eee(struct net_device *ndev, struct ethtool_keee *eee)
{
	struct phy_sim_port *port = netdev_priv(ndev);

	return phylink_ethtool_set_eee(port->pl, eee);
}

static const struct ethtool_ops phy_sim_ethtool_ops = {
	.get_drvinfo = phy_sim_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_link_ksettings = phy_sim_get_link_ksettings,
	.set_link_ksettings = phy_sim_set_link_ksettings,
	.nway_reset = phy_sim_nway_reset,
	.get_pauseparam = phy_sim_get_pauseparam,
	.set_pauseparam = phy_sim_set_pauseparam,
	.get_eee = phy_sim_get_eee,
	.set_eee = phy_sim_set_eee,
};

static int phy_sim_port_init(struct phy_sim *ps, struct device_node *np,
			     unsigned int index)
{
	struct device *dev = &ps->pdev->dev;
	unsigned long caps, ifaces;
	struct phy_sim_port *port;
	struct net_device *ndev;
	u8 addr[ETH_ALEN];
	const char *label;
	struct phylink *pl;
	u32 lo, hi;
	unsigned int i;
	int ret;

	ndev = alloc_etherdev(sizeof(*port));
	if (!ndev)
		return -ENOMEM;
	ps->ports[index] = ndev;

	port = netdev_priv(ndev);
	port->ps = ps;
	port->ndev = ndev;
	port->np = of_node_get(np);
	port->index = index;
	port->base = ps->regs + PHY_SIM_PORT(index);

	SET_NETDEV_DEV(ndev, dev);
	ndev->netdev_ops = &phy_sim_netdev_ops;
	ndev->ethtool_ops = &phy_sim_ethtool_ops;
	if (!of_property_read_string(np, "label", &label)) {
		if (strscpy(ndev->name, label, IFNAMSIZ) < 0) {
			dev_err(dev, "port %u: label \"%s\" too long\n",
				index, label);
			return -EINVAL;
		}
	}

	lo = readl(port->base + PHY_SIM_PORT_MAC_LO);
	hi = readl(port->base + PHY_SIM_PORT_MAC_HI);
	put_unaligned_le32(lo, addr);
	put_unaligned_le16(hi, addr + 4);
	if (is_valid_ether_addr(addr))
		eth_hw_addr_set(ndev, addr);
	else
		eth_hw_addr_random(ndev);

	caps = readl(port->base + PHY_SIM_PORT_CAPS);
	ifaces = readl(port->base + PHY_SIM_PORT_INTERFACES);

	port->config.dev = &ndev->dev;
	port->config.type = PHYLINK_NETDEV;
	for_each_set_bit(i, &caps, ARRAY_SIZE(phy_sim_mac_caps))
		port->config.mac_capabilities |= phy_sim_mac_caps[i];
	for_each_set_bit(i, &ifaces, ARRAY_SIZE(phy_sim_iface_codes))
		if (i)
			__set_bit(phy_sim_iface_codes[i],
				  port->config.supported_interfaces);

	/* Absent for SFP cages: phylink takes the mode from the module. */
	if (of_get_phy_mode(np, &port->iface))
		port->iface = PHY_INTERFACE_MODE_NA;

	pl = phylink_create(&port->config, of_fwnode_handle(np), port->iface,
			    &phy_sim_phylink_mac_ops);
	if (IS_ERR(pl)) {
		ret = PTR_ERR(pl);
		dev_err(dev, "port %u: cannot create phylink: %d\n", index,
			ret);
		return ret;
	}
	port->pl = pl;

	ret = register_netdev(ndev);
	if (ret) {
		dev_err(dev, "port %u: cannot register netdev: %d\n", index,
			ret);
		return ret;
	}
	port->registered = true;
	netdev_info(ndev, "phy-sim port %u, %s, MAC %pM\n", index,
		    phy_modes(port->iface), ndev->dev_addr);
	return 0;
}

static void phy_sim_port_remove(struct phy_sim *ps, unsigned int index)
{
	struct net_device *ndev = ps->ports[index];
	struct phy_sim_port *port = netdev_priv(ndev);

	if (port->registered)
		unregister_netdev(ndev);
	if (port->pl)
		phylink_destroy(port->pl);
	of_node_put(port->np);
	free_netdev(ndev);
	ps->ports[index] = NULL;
}

/* ---- the overlay and the node it lands in ------------------------------ */

static void *phy_sim_read_fdt(struct phy_sim *ps, u32 *sizep)
{
	struct device *dev = &ps->pdev->dev;
	resource_size_t bar_len = pci_resource_len(ps->pdev, 0);
	u32 size, offset, i;
	void __iomem *src;
	u8 *blob;

	size = readl(ps->regs + PHY_SIM_FDT_SIZE);
	offset = readl(ps->regs + PHY_SIM_FDT_OFFSET);
	if (size < PHY_SIM_FDT_HEADER_SIZE || !IS_ALIGNED(offset, 4) ||
	    offset >= bar_len || ALIGN(size, 4) > bar_len - offset) {
		dev_err(dev, "bad overlay window: %u bytes at 0x%x (BAR0 is 0x%llx bytes)\n",
			size, offset, (u64)bar_len);
		return ERR_PTR(-EINVAL);
	}

	blob = kvmalloc(ALIGN(size, 4), GFP_KERNEL);
	if (!blob)
		return ERR_PTR(-ENOMEM);

	/* Each read is a round trip to the device: take 8 bytes at a time. */
	src = ps->regs + offset;
	i = 0;
	if (IS_ALIGNED(offset, 8))
		for (; i + 8 <= size; i += 8)
			put_unaligned_le64(readq(src + i), blob + i);
	for (; i < size; i += 4)
		put_unaligned_le32(readl(src + i), blob + i);

	*sizep = size;
	return blob;
}

/*
 * The PCI core creates OF nodes only for bridges and a few quirked
 * endpoints, so the board gets a node of its own, made like the core's
 * own in of_pci_make_dev_node(): under the node of the bus the device sits
 * on (PCI_DYNAMIC_OF_NODES), else under the root, or under the device's
 * node if it has one.
 *
 * When the device has no node, the new one is attached to it with
 * device_add_of_node(): dev_of_node() of the PCI device then describes the
 * board, as on a DT platform. The node must be detached again before the
 * driver lets go of it, since the PCI core's of_pci_remove_node() treats
 * any OF_DYNAMIC node left on a removed device as one it made itself.
 */
static int phy_sim_create_node(struct phy_sim *ps)
{
	struct pci_dev *pdev = ps->pdev;
	struct device *dev = &pdev->dev;
	struct device_node *parent, *np;
	bool attach = false;
	char *name;
	int ret;

	parent = dev_of_node(dev);
	if (parent) {
		name = kasprintf(GFP_KERNEL, "phy-sim");
	} else {
		attach = true;
		parent = pdev->bus->self ? dev_of_node(&pdev->bus->self->dev) :
					   dev_of_node(&pdev->bus->dev);
		if (parent)
			name = kasprintf(GFP_KERNEL, "phy-sim@%x,%x",
					 PCI_SLOT(pdev->devfn),
					 PCI_FUNC(pdev->devfn));
		else
			name = kasprintf(GFP_KERNEL, "phy-sim@%x,%x,%x,%x",
					 pci_domain_nr(pdev->bus),
					 pdev->bus->number,
					 PCI_SLOT(pdev->devfn),
					 PCI_FUNC(pdev->devfn));
		if (!parent)
			parent = of_root;
	}
	if (!name)
		return -ENOMEM;
	if (!parent) {
		dev_err(dev, "no device tree to attach the board to\n");
		kfree(name);
		return -ENODEV;
	}

	of_changeset_init(&ps->cset);
	np = of_changeset_create_node(&ps->cset, parent, name);
	kfree(name);
	if (!np) {
		of_changeset_destroy(&ps->cset);
		return -ENOMEM;
	}
	/*
	 * The PCI device stands for this node: keep of_platform's reconfig
	 * notifier from creating a platform device for it (it does so for
	 * any node added under the root).
	 */
	of_node_set_flag(np, OF_POPULATED);
	ps->np = np;

	/*
	 * The overlay core prints "WARNING: memory leak will occur if overlay
	 * removed" for each property an overlay adds to a node it did not
	 * create, except #address-cells and #size-cells that already hold the
	 * same value. So the node carries the properties the ABI puts at the
	 * top of the overlay from the start.
	 */
	ret = of_changeset_add_prop_string(&ps->cset, np, "compatible",
					   PHY_SIM_BOARD_COMPATIBLE);
	if (!ret)
		ret = of_changeset_add_prop_u32(&ps->cset, np,
						"#address-cells", 1);
	if (!ret)
		ret = of_changeset_add_prop_u32(&ps->cset, np, "#size-cells",
						0);
	if (ret)
		return ret;

	ret = of_changeset_apply(&ps->cset);
	if (ret) {
		dev_err(dev, "cannot add node %pOF: %d\n", np, ret);
		return ret;
	}
	ps->cset_applied = true;

	if (attach) {
		ret = device_add_of_node(dev, np);
		if (ret)
			return ret;
		ps->np_attached = true;
	}
	return 0;
}

static void phy_sim_remove_node(struct phy_sim *ps)
{
	if (!ps->np)
		return;

	if (ps->np_attached)
		device_remove_of_node(&ps->pdev->dev);
	ps->np_attached = false;
	if (ps->cset_applied)
		of_changeset_revert(&ps->cset);
	ps->cset_applied = false;
	of_changeset_destroy(&ps->cset);
	of_node_put(ps->np);
	ps->np = NULL;
}

static int phy_sim_apply_overlay(struct phy_sim *ps)
{
	struct device *dev = &ps->pdev->dev;
	void *blob;
	u32 size;
	int ret;

	blob = phy_sim_read_fdt(ps, &size);
	if (IS_ERR(blob))
		return PTR_ERR(blob);

	ret = phy_sim_create_node(ps);
	if (ret)
		goto out;

	/* The overlay core keeps a copy of the blob. */
	ret = of_overlay_fdt_apply(blob, size, &ps->ovcs_id, ps->np);
	if (ret)
		dev_err(dev, "cannot apply overlay (%u bytes) to %pOF: %d\n",
			size, ps->np, ret);
out:
	kvfree(blob);
	return ret;
}

/* ---- interrupts -------------------------------------------------------- */

static int phy_sim_setup_irqs(struct phy_sim *ps)
{
	struct pci_dev *pdev = ps->pdev;
	struct device *dev = &pdev->dev;
	unsigned int n, want = 1 + ps->n_gpio;
	char *name;
	int ret;

	ps->nvec = pci_alloc_irq_vectors(pdev, 1, PHY_SIM_MAX_VECTORS,
					 PCI_IRQ_MSIX | PCI_IRQ_INTX);
	if (ps->nvec > 0 && pdev->msix_enabled && ps->nvec < want) {
		/* A bank without a vector would never be heard: use INTx. */
		dev_warn(dev, "%d MSI-X vectors for %u, using INTx\n",
			 ps->nvec, want);
		pci_free_irq_vectors(pdev);
		ps->nvec = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_INTX);
	}
	if (ps->nvec < 0) {
		dev_err(dev, "no interrupt: %d\n", ps->nvec);
		return ps->nvec;
	}
	ps->msix = pdev->msix_enabled;

	name = devm_kasprintf(dev, GFP_KERNEL, "%s-%s", PHY_SIM_DRV_NAME,
			      pci_name(pdev));
	if (!name)
		return -ENOMEM;

	ps->event_irq = pci_irq_vector(pdev, 0);
	if (ps->event_irq < 0)
		return ps->event_irq;
	ret = request_irq(ps->event_irq,
			  ps->msix ? phy_sim_event_irq : phy_sim_intx_irq,
			  ps->msix ? 0 : IRQF_SHARED, name, ps);
	if (ret) {
		dev_err(dev, "cannot request IRQ %d: %d\n", ps->event_irq, ret);
		return ret;
	}
	ps->event_irq_requested = true;

	ps->irq_enable = PHY_SIM_IRQ_DEADLINE_CHANGED;
	for (n = 0; n < ps->n_gpio; n++) {
		struct phy_sim_gpio *bank = ps->banks[n];

		if (!bank)
			continue;
		if (!ps->msix) {
			ps->irq_enable |= PHY_SIM_IRQ_BANK(n);
			continue;
		}

		name = devm_kasprintf(dev, GFP_KERNEL, "%s-%s-gpio%u",
				      PHY_SIM_DRV_NAME, pci_name(pdev), n);
		if (!name)
			return -ENOMEM;
		ret = pci_irq_vector(pdev, 1 + n);
		if (ret < 0)
			return ret;
		bank->irq = ret;
		ret = request_irq(bank->irq, phy_sim_bank_irq, 0, name, bank);
		if (ret) {
			dev_err(dev, "cannot request IRQ %d: %d\n", bank->irq,
				ret);
			bank->irq = 0;
			return ret;
		}
	}

	phy_sim_write(ps, PHY_SIM_IRQ_ENABLE, ps->irq_enable);
	return 0;
}

/*
 * After this, nothing re-arms the timer or dispatches GPIO interrupts:
 * syncs see ->stopping, vectors are freed, the callback has finished.
 */
static void phy_sim_stop_irqs(struct phy_sim *ps)
{
	unsigned long flags;
	unsigned int n;

	raw_spin_lock_irqsave(&ps->sync_lock, flags);
	ps->stopping = true;
	raw_spin_unlock_irqrestore(&ps->sync_lock, flags);

	if (ps->irq_enable)
		phy_sim_write(ps, PHY_SIM_IRQ_ENABLE, 0);
	ps->irq_enable = 0;

	for (n = 0; n < ps->n_gpio; n++) {
		struct phy_sim_gpio *bank = ps->banks[n];

		if (bank && bank->irq) {
			free_irq(bank->irq, bank);
			bank->irq = 0;
		}
	}
	if (ps->event_irq_requested)
		free_irq(ps->event_irq, ps);
	ps->event_irq_requested = false;

	hrtimer_cancel(&ps->timer);
}

/* ---- probe and remove -------------------------------------------------- */

/*
 * Users first, providers last: netdevs (stopping them frees their PHYs'
 * interrupts), MDIO buses (their PHY devices consume GPIO interrupts),
 * interrupt sources, GPIO banks and irq domains, and only then the
 * overlay, once nothing holds a reference on its nodes any more.
 */
static void phy_sim_teardown(struct phy_sim *ps)
{
	unsigned int n;

	for (n = 0; n < PHY_SIM_MAX_BLOCKS; n++)
		if (ps->ports[n])
			phy_sim_port_remove(ps, n);

	for (n = 0; n < PHY_SIM_MAX_BLOCKS; n++)
		if (ps->buses[n])
			phy_sim_mdio_remove(ps, n);

	phy_sim_stop_irqs(ps);

	for (n = 0; n < PHY_SIM_MAX_BLOCKS; n++)
		if (ps->banks[n])
			phy_sim_gpio_remove(ps->banks[n]);

	if (ps->nvec > 0)
		pci_free_irq_vectors(ps->pdev);
	ps->nvec = 0;

	if (ps->ovcs_id) {
		int ret = of_overlay_remove(&ps->ovcs_id);

		if (ret) {
			/* Its nodes stay in the tree: so must their parent. */
			dev_err(&ps->pdev->dev,
				"cannot remove overlay %d: %d, leaking %pOF\n",
				ps->ovcs_id, ret, ps->np);
			if (ps->np_attached)
				device_remove_of_node(&ps->pdev->dev);
			ps->np_attached = false;
			return;
		}
	}
	phy_sim_remove_node(ps);
}

typedef int (*phy_sim_init_fn)(struct phy_sim *ps, struct device_node *np,
			       unsigned int index);

/*
 * Registers every available child of the board compatible with @compat, in
 * the order of their block index (reg), so that ports without a label get
 * their eth%d names in port order.
 */
static int phy_sim_add_children(struct phy_sim *ps, const char *compat,
				const char *what, unsigned int count,
				phy_sim_init_fn init)
{
	struct device_node *nodes[PHY_SIM_MAX_BLOCKS] = { };
	struct device *dev = &ps->pdev->dev;
	unsigned int n;
	u32 index;
	int ret = 0;

	for_each_available_child_of_node_scoped(ps->np, child) {
		if (!of_device_is_compatible(child, compat))
			continue;

		if (of_property_read_u32(child, "reg", &index)) {
			dev_err(dev, "%pOF: no reg\n", child);
			ret = -EINVAL;
		} else if (index >= count) {
			dev_err(dev, "%pOF: %s %u, device has %u\n", child,
				what, index, count);
			ret = -EINVAL;
		} else if (nodes[index]) {
			dev_err(dev, "%pOF: %s %u described twice\n", child,
				what, index);
			ret = -EINVAL;
		} else {
			nodes[index] = of_node_get(child);
		}
		if (ret)
			goto out;
	}

	for (n = 0; n < count && !ret; n++)
		if (nodes[n])
			ret = init(ps, nodes[n], n);
out:
	for (n = 0; n < PHY_SIM_MAX_BLOCKS; n++)
		of_node_put(nodes[n]);
	return ret;
}

static int phy_sim_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct phy_sim *ps;
	u32 magic, version, counts;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	/* MSI/MSI-X writes are DMA: without bus mastering none arrives. */
	pci_set_master(pdev);

	ps = devm_kzalloc(dev, sizeof(*ps), GFP_KERNEL);
	if (!ps)
		return -ENOMEM;
	ps->pdev = pdev;
	raw_spin_lock_init(&ps->sync_lock);
	hrtimer_setup(&ps->timer, phy_sim_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_HARD);
	pci_set_drvdata(pdev, ps);

	ps->regs = pcim_iomap_region(pdev, 0, PHY_SIM_DRV_NAME);
	if (IS_ERR(ps->regs))
		return dev_err_probe(dev, PTR_ERR(ps->regs),
				     "cannot map BAR0\n");

	magic = readl(ps->regs + PHY_SIM_MAGIC);
	if (magic != PHY_SIM_MAGIC_VALUE) {
		dev_err(dev, "bad magic 0x%08x (expected 0x%08x)\n", magic,
			PHY_SIM_MAGIC_VALUE);
		return -ENODEV;
	}
	version = readl(ps->regs + PHY_SIM_VERSION);
	if (FIELD_GET(PHY_SIM_VERSION_MAJOR, version) != PHY_SIM_ABI_MAJOR) {
		dev_err(dev, "ABI version %lu.%lu not supported (need %u.x)\n",
			FIELD_GET(PHY_SIM_VERSION_MAJOR, version),
			FIELD_GET(PHY_SIM_VERSION_MINOR, version),
			PHY_SIM_ABI_MAJOR);
		return -ENODEV;
	}

	counts = readl(ps->regs + PHY_SIM_COUNTS);
	ps->n_mdio = min_t(u32, FIELD_GET(PHY_SIM_COUNTS_MDIO, counts),
			   PHY_SIM_MAX_BLOCKS);
	ps->n_gpio = min_t(u32, FIELD_GET(PHY_SIM_COUNTS_GPIO, counts),
			   PHY_SIM_MAX_BLOCKS);
	ps->n_ports = min_t(u32, FIELD_GET(PHY_SIM_COUNTS_PORTS, counts),
			    PHY_SIM_MAX_BLOCKS);

	/* Quiet until the banks and handlers are in place. */
	phy_sim_write(ps, PHY_SIM_IRQ_ENABLE, 0);

	ret = phy_sim_apply_overlay(ps);
	if (ret)
		goto err;

	/* GPIO first: PHY interrupts resolve through these domains. */
	ret = phy_sim_add_children(ps, "phy-sim,gpio", "GPIO bank",
				   ps->n_gpio, phy_sim_gpio_init);
	if (ret)
		goto err;

	ret = phy_sim_setup_irqs(ps);
	if (ret)
		goto err;
	/* Arm the timer at the first deadline. */
	phy_sim_sync(ps);

	ret = phy_sim_add_children(ps, "phy-sim,mdio", "MDIO bus", ps->n_mdio,
				   phy_sim_mdio_init);
	if (ret)
		goto err;

	ret = phy_sim_add_children(ps, "phy-sim,port", "MAC port", ps->n_ports,
				   phy_sim_port_init);
	if (ret)
		goto err;

	dev_info(dev, "ABI %lu.%lu, %u MDIO, %u GPIO, %u ports, %s, board %pOF\n",
		 FIELD_GET(PHY_SIM_VERSION_MAJOR, version),
		 FIELD_GET(PHY_SIM_VERSION_MINOR, version),
		 ps->n_mdio, ps->n_gpio, ps->n_ports,
		 ps->msix ? "MSI-X" : "INTx", ps->np);
	return 0;

err:
	phy_sim_teardown(ps);
	return ret;
}

static void phy_sim_remove(struct pci_dev *pdev)
{
	phy_sim_teardown(pci_get_drvdata(pdev));
}

static const struct pci_device_id phy_sim_pci_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_PHY_SIM, PCI_DEVICE_ID_PHY_SIM) },
	{ }
};
MODULE_DEVICE_TABLE(pci, phy_sim_pci_ids);

static struct pci_driver phy_sim_pci_driver = {
	.name = PHY_SIM_DRV_NAME,
	.id_table = phy_sim_pci_ids,
	.probe = phy_sim_probe,
	.remove = phy_sim_remove,
	.dev_groups = phy_sim_groups,
};
module_pci_driver(phy_sim_pci_driver);

MODULE_DESCRIPTION("phy-sim simulated PHY/MDIO/GPIO board");
MODULE_LICENSE("GPL");
